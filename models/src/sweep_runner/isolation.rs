//! One sweep job, isolated: a panic in it becomes that job's failure, with its
//! message and place kept once, and nothing printed over the progress bar.
//!
//! A panic hook is process-wide, so ours acts only on a thread that is inside
//! [`catch`] at the time; every other panic goes on to the hook that was there
//! before (the default one prints it as usual). A job runs on one thread: a run on
//! one thread stays on its caller's thread ([`crate::network::run_until_stopped`]).
//! A panic on a thread the job started itself would still be caught when it
//! reached the job's thread, but its message would come from the payload alone,
//! without its place, and the previous hook would print it.
//!
//! This needs panics to unwind: a build with `panic = "abort"` cannot isolate
//! jobs, and neither can anything catch an abort (out of memory, a stack overflow).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

thread_local! {
    /// `Some` while this thread is inside [`catch`]: the last panic's description.
    static CAUGHT: RefCell<Option<Option<String>>> = const { RefCell::new(None) };
}

static HOOK: Once = Once::new();

/// Runs `job`, turning a panic in it into `Err` with the panic's message and, when
/// the panic happened on this thread, its place: `panicked at FILE:LINE:COL: …`.
///
/// `job` is treated as unwind safe: a sweep job builds its own scenario and run
/// and shares nothing mutable with the others, so a panic leaves no broken state
/// behind for anyone else to see.
pub(super) fn catch<T>(job: impl FnOnce() -> T) -> Result<T, String> {
    HOOK.call_once(install_hook);
    let outer = CAUGHT.with(|c| c.replace(Some(None)));
    let result = panic::catch_unwind(AssertUnwindSafe(job));
    let described = CAUGHT.with(|c| c.replace(outer)).flatten();
    result.map_err(|payload| {
        let message = message(payload.as_ref());
        // The hook's description is of this panic only if it ends in the same
        // message; a panic resumed from another thread never passed the hook here.
        match described {
            Some(d) if d.ends_with(&message) => d,
            _ => format!("panicked: {message}"),
        }
    })
}

fn install_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let kept = CAUGHT
            .try_with(|c| match c.try_borrow_mut().as_deref_mut() {
                Ok(Some(last)) => {
                    *last = Some(describe(info));
                    true
                }
                _ => false,
            })
            .unwrap_or(false);
        if !kept {
            previous(info);
        }
    }));
}

fn describe(info: &PanicHookInfo<'_>) -> String {
    let message = message(info.payload());
    match info.location() {
        Some(at) => format!("panicked at {at}: {message}"),
        None => format!("panicked: {message}"),
    }
}

/// The text a panic was given (`panic!`, `expect`, an index out of bounds…).
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(a panic without a text message)".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_and_place_and_a_value_passes_through() {
        assert_eq!(catch(|| 7), Ok(7));
        let line = line!() + 1;
        let err = catch::<()>(|| panic!("point {} broke", 3)).unwrap_err();
        assert!(err.starts_with(&format!("panicked at {}:{line}:", file!())), "{err}");
        assert!(err.ends_with(": point 3 broke"), "{err}");
        let v: Vec<u32> = Vec::new();
        let err = catch(|| v[2]).unwrap_err();
        assert!(err.ends_with(": index out of bounds: the len is 0 but the index is 2"), "{err}");
    }

    #[test]
    fn catches_nest_and_the_thread_forgets_them_afterwards() {
        let outer = catch::<()>(|| {
            let inner = catch::<()>(|| panic!("inner"));
            assert!(inner.unwrap_err().ends_with(": inner"));
            panic!("outer")
        });
        assert!(outer.unwrap_err().ends_with(": outer"));
        assert_eq!(CAUGHT.with(|c| c.borrow().clone()), None, "outside catch the hook passes panics on");
    }

    #[test]
    fn a_panic_resumed_from_another_thread_keeps_its_message_without_a_place() {
        let err = catch::<()>(|| {
            let payload = std::thread::scope(|s| s.spawn(|| panic!("elsewhere")).join()).unwrap_err();
            panic::resume_unwind(payload)
        })
        .unwrap_err();
        assert_eq!(err, "panicked: elsewhere");
    }
}
