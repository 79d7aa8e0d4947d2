//! Progress on stderr while a study runs and while it is written: a bar for a
//! person at a terminal, or one JSON object per line for a program watching the run
//! (`--progress json`). Nothing here touches the model; what it shows never
//! changes the outputs.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

/// How progress is shown (`--progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ProgressMode {
    /// A bar when stderr is a terminal, else nothing.
    Auto,
    /// A bar, even when stderr is not a terminal.
    Bar,
    /// One JSON object per line: `phase` (`simulate`, `sweep`, `write`, `done`),
    /// `wall_s`, and the phase's own fields.
    Json,
    /// Nothing.
    None,
}

/// Least wall time between two JSON lines of the simulation phase.
const JSON_EVERY: Duration = Duration::from_millis(500);

/// Progress of one command.
pub(crate) struct Progress {
    json: bool,
    bar: ProgressBar,
    started: Instant,
    /// When the last simulation line was written (JSON).
    last_line: Mutex<Option<Instant>>,
}

impl Progress {
    /// Progress towards `total` of something; `template` is the bar's (indicatif).
    pub(crate) fn new(mode: ProgressMode, total: u64, template: &str) -> Progress {
        let shown = match mode {
            ProgressMode::Auto => std::io::stderr().is_terminal(),
            ProgressMode::Bar => true,
            ProgressMode::Json | ProgressMode::None => false,
        };
        let bar = if shown {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(ProgressStyle::with_template(template).expect("a valid template"));
            bar
        } else {
            ProgressBar::hidden()
        };
        #[allow(clippy::disallowed_methods)] // Progress is for the user; it never feeds the model.
        let started = Instant::now();
        Progress { json: mode == ProgressMode::Json, bar, started, last_line: Mutex::new(None) }
    }

    /// Wall-clock seconds since the command started.
    pub(crate) fn wall_s(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Writes one JSON line to stderr, with the phase and the wall time.
    fn line(&self, phase: &str, mut fields: serde_json::Value) {
        fields["phase"] = json!(phase);
        fields["wall_s"] = json!((self.wall_s() * 1e3).round() / 1e3);
        let _ = writeln!(std::io::stderr().lock(), "{fields}");
    }

    /// The simulation reached `p.now` of `end_s`.
    pub(crate) fn simulated(&self, p: &models::Progress, rss_mib: Option<f64>) {
        let rate = p.events as f64 / self.wall_s().max(1e-9);
        let memory = rss_mib.map_or(String::new(), |m| format!(" · {m:.0} MiB"));
        self.bar.set_position(p.now.as_secs_f64() as u64);
        self.bar.set_message(format!("{:.2} M events/s{memory}", rate / 1e6));
        if self.json {
            #[allow(clippy::disallowed_methods)] // As above: for the user only.
            let now = Instant::now();
            let mut last = self.last_line.lock().expect("progress lock");
            if last.is_some_and(|t| now.duration_since(t) < JSON_EVERY) {
                return;
            }
            *last = Some(now);
            let (at, end) = (p.now.as_secs_f64(), p.end.as_secs_f64());
            self.line(
                "simulate",
                json!({ "simulated_s": at, "end_s": end, "fraction": (at / end.max(1e-9)).min(1.0),
                        "events": p.events, "events_per_s": rate.round(), "rss_mib": rss_mib.map(f64::round) }),
            );
        }
    }

    /// A sweep finished another run: `done` of `runs`, `failed` of them failed.
    pub(crate) fn run_done(&self, done: u64, runs: u64, failed: usize) {
        self.bar.set_position(done);
        if failed > 0 {
            self.bar.set_message(format!(" · {failed} failed"));
        }
        if self.json {
            self.line("sweep", json!({ "runs_done": done, "runs": runs, "failed": failed }));
        }
    }

    /// The simulation is over and the outputs are being written: now `what`.
    pub(crate) fn writing(&self, what: &str) {
        if !self.bar.is_hidden() && self.bar.length().is_some() {
            self.bar.set_length(0);
            self.bar.set_style(ProgressStyle::with_template("{spinner} writing {msg} · {elapsed}").expect("valid"));
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
        self.bar.set_message(what.to_string());
        if self.json {
            self.line("write", json!({ "step": what }));
        }
    }

    /// Everything is written to `out`.
    pub(crate) fn done(&self, out: &std::path::Path) {
        self.bar.finish_and_clear();
        if self.json {
            self.line("done", json!({ "out": out.display().to_string() }));
        }
    }

    /// The command stopped before its end (interrupted or failed).
    pub(crate) fn abandon(&self) {
        self.bar.finish_and_clear();
    }
}
