//! `dccsim explain` and `dccsim list`: the reference a user needs while writing a
//! scenario, read from the same registry and catalogue the simulator uses.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use models::catalogue::{Catalogue, FutureDated};
use models::scenario::keys;
use models::service_request::Mode;

/// What `dccsim list` lists.
#[derive(Debug, clap::Subcommand)]
pub enum ListWhat {
    /// Every scenario key: study, dotted key, unit, default, range.
    Keys {
        /// Print the key tables as scenarios/README.md has them.
        #[arg(long)]
        markdown: bool,
    },
    /// The scenario files of a folder with what each studies.
    Scenarios {
        /// The folder [default: ./scenarios, else the shipped one].
        dir: Option<PathBuf>,
    },
    /// The Service Request catalogue: SRV, flags, On Demand TRT, name.
    Srvs,
}

fn print(text: &str) {
    // A closed pipe (`dccsim list keys | head`) is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// `dccsim explain KEY`.
pub fn explain(key: &str) -> ExitCode {
    match keys::explain(key) {
        Some(text) => {
            print(&text);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: `{key}` is not a scenario key; allowed: the keys `dccsim list keys` shows");
            ExitCode::from(2)
        }
    }
}

/// `dccsim list …`.
pub fn list(what: &ListWhat) -> ExitCode {
    match what {
        ListWhat::Keys { markdown: false } => print(&keys::list()),
        ListWhat::Keys { markdown: true } => {
            for table in keys::tables() {
                print(&format!("{}\n\n{}\n", table.heading, table.markdown()));
            }
        }
        ListWhat::Scenarios { dir } => return scenarios(dir.as_deref()),
        ListWhat::Srvs => print(&srvs()),
    }
    ExitCode::SUCCESS
}

fn scenarios(dir: Option<&Path>) -> ExitCode {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let dir = dir.map(Path::to_path_buf).unwrap_or_else(|| {
        let here = PathBuf::from("scenarios");
        if here.is_dir() { here } else { shipped }
    });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("error: {}: cannot read the folder", dir.display());
        return ExitCode::from(2);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let peeked = std::fs::read_to_string(&path).ok().and_then(|text| models::study::peek(&text));
        let (kind, about) = peeked.unwrap_or(("unreadable", String::new()));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        print(&format!("{name:30} {kind:8} {about}\n"));
    }
    ExitCode::SUCCESS
}

fn srvs() -> String {
    let mut out = String::from(
        "flags: C critical; O On Demand; Future Dated by D the DSP, V the device, B both; S DCC Scheduled; N non-device\n",
    );
    out += &format!("{:8} {:6} {:>9}  {}\n", "SRV", "flags", "TRT (OD)", "name");
    for e in Catalogue::builtin().entries() {
        let flag = |on: bool, c: char| if on { c } else { '-' };
        let future = match e.future_dated {
            FutureDated::Dsp => 'D',
            FutureDated::Device => 'V',
            FutureDated::DspAndDevice => 'B',
            FutureDated::No => '-',
        };
        let flags: String = [
            flag(e.critical, 'C'),
            flag(e.on_demand, 'O'),
            future,
            flag(e.dcc_scheduled, 'S'),
            flag(e.non_device, 'N'),
        ]
        .iter()
        .collect();
        let trt = e.target_response_time(Mode::OnDemand).as_secs_f64();
        out += &format!("{:8} {flags:6} {:>8}s  {}\n", e.srv, trt, e.name);
    }
    out
}
