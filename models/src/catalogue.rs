//! The Service Request catalogue: every Service Reference Variant (SRV) with its
//! flags, eligible DCC User roles, GBCS message sizes and Target Response Times.
//!
//! The data is `models/data/sr_catalogue.csv`, built by `tools/build_sr_catalogue.py`
//! from the project's fact files: the DUIS request matrix (DOMAIN "DUIS-matrix", 129
//! SRVs) and GBCS message sizes of DCC's Reference Test Data Set v4.5.0 (DOMAIN
//! "RTDS"). A test checks the CSV against the fact files whenever they are present.

use std::sync::OnceLock;

use sim::SimDuration;

use crate::service_request::{Mode, UserRole};

/// Where a Future Dated request waits for its execution time (DOMAIN §1.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FutureDated {
    /// Not Future Dated capable.
    No,
    /// The DSP holds the request and releases it at the execution time.
    Dsp,
    /// The device holds the command and executes it, then alerts (0x8F66/0x8F67).
    Device,
    /// Either (SRV 6.23).
    DspAndDevice,
}

/// GBCS sizes of one SRV's messages to one kind of device, bytes (None: no RTDS
/// message).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub struct MessageSizes {
    /// The command sent over the WAN.
    pub command_bytes: Option<u32>,
    /// The device's response.
    pub response_bytes: Option<u32>,
    /// The Pre-Command returned to the User for signing (Critical SRVs).
    pub precommand_bytes: Option<u32>,
}

/// Catalogue-wide median GBCS command size, bytes (DOMAIN §1.1: 146 B).
pub const MEDIAN_COMMAND_BYTES: u32 = 146;
/// Catalogue-wide median GBCS response size, bytes (DOMAIN §1.1: 121 B).
pub const MEDIAN_RESPONSE_BYTES: u32 = 121;

impl MessageSizes {
    /// The command size, or the catalogue median when RTDS has none.
    pub fn command_or_median(&self) -> u32 {
        self.command_bytes.unwrap_or(MEDIAN_COMMAND_BYTES)
    }

    /// The response size, or the catalogue median when RTDS has none.
    pub fn response_or_median(&self) -> u32 {
        self.response_bytes.unwrap_or(MEDIAN_RESPONSE_BYTES)
    }
}

/// One Service Reference Variant.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceReferenceVariant {
    /// The SRV, e.g. "4.1.1".
    pub srv: String,
    /// Its DUIS name.
    pub name: String,
    /// A Critical Service Request: the Pre-Command goes back to the User to sign.
    pub critical: bool,
    /// May be sent On Demand.
    pub on_demand: bool,
    /// Future Dated pattern.
    pub future_dated: FutureDated,
    /// May be DCC Scheduled.
    pub dcc_scheduled: bool,
    /// Handled by DCC without a device.
    pub non_device: bool,
    /// Roles that may send it.
    pub roles: Vec<UserRole>,
    /// Sizes for electricity devices (ECS use cases, else hub, else gas).
    pub electricity: MessageSizes,
    /// Sizes for gas devices (GCS use cases, else hub, else electricity).
    pub gas: MessageSizes,
}

impl ServiceReferenceVariant {
    /// Whether `role` may send this SRV.
    pub fn allows(&self, role: UserRole) -> bool {
        self.roles.contains(&role)
    }

    /// The Target Response Time of this SRV in `mode`, measured from receipt (On
    /// Demand) or from the execution or schedule time (Future Dated, Scheduled).
    ///
    /// - On Demand: 30 s (DOMAIN §1.2, [H] intent), except the long-running ones:
    ///   firmware 11.1 24 h and enrolment services 8.1.1/8.7.x/8.11 60 s (assumptions;
    ///   DOMAIN §1.2 lists them as longer, values not found).
    /// - Future Dated: DSP pattern 30 s after execution (assumption, DOMAIN §1.2);
    ///   device pattern 2 h, CSP RTT3 (DOMAIN §1.1 [H]).
    /// - DCC Scheduled: 2 h after the schedule time (assumption; DOMAIN §1.2 gives
    ///   30 s – 2 h).
    pub fn target_response_time(&self, mode: Mode) -> SimDuration {
        match mode {
            Mode::OnDemand => match self.srv.as_str() {
                "11.1" => SimDuration::from_secs(24 * 3600),
                "8.1.1" | "8.7.1" | "8.7.2" | "8.11" => SimDuration::from_secs(60),
                _ => SimDuration::from_secs(30),
            },
            Mode::FutureDated => match self.future_dated {
                FutureDated::Device => SimDuration::from_secs(2 * 3600),
                _ => SimDuration::from_secs(30),
            },
            Mode::Scheduled => SimDuration::from_secs(2 * 3600),
        }
    }
}

/// All SRVs, in DUIS order.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    entries: Vec<ServiceReferenceVariant>,
}

const CSV: &str = include_str!("../data/sr_catalogue.csv");

fn flag(s: &str) -> bool {
    match s {
        "True" => true,
        "False" => false,
        other => panic!("sr_catalogue.csv: {other:?} is not True or False"),
    }
}

fn size(s: &str) -> Option<u32> {
    (!s.is_empty()).then(|| s.parse().expect("sr_catalogue.csv: a size in bytes"))
}

/// Splits one CSV line, honouring double quotes (names may hold commas).
fn fields(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                out.last_mut().expect("a field").push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(String::new()),
            (c, _) => out.last_mut().expect("a field").push(c),
        }
    }
    out
}

impl Catalogue {
    /// The catalogue built into dccsim.
    pub fn builtin() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(|| Catalogue::parse(CSV))
    }

    fn parse(csv: &str) -> Catalogue {
        let entries = csv
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let f = fields(line);
                assert_eq!(f.len(), 15, "sr_catalogue.csv: 15 fields per line: {line}");
                ServiceReferenceVariant {
                    srv: f[0].clone(),
                    name: f[1].clone(),
                    critical: flag(&f[2]),
                    on_demand: flag(&f[3]),
                    future_dated: match f[4].as_str() {
                        "none" => FutureDated::No,
                        "dsp" => FutureDated::Dsp,
                        "device" => FutureDated::Device,
                        "dsp_and_device" => FutureDated::DspAndDevice,
                        other => panic!("sr_catalogue.csv: unknown Future Dated pattern {other:?}"),
                    },
                    dcc_scheduled: flag(&f[5]),
                    non_device: flag(&f[6]),
                    roles: f[7].split_whitespace().map(|r| r.parse().expect("a DUIS role code")).collect(),
                    electricity: MessageSizes {
                        command_bytes: size(&f[8]),
                        response_bytes: size(&f[9]),
                        precommand_bytes: size(&f[10]),
                    },
                    gas: MessageSizes {
                        command_bytes: size(&f[11]),
                        response_bytes: size(&f[12]),
                        precommand_bytes: size(&f[13]),
                    },
                }
            })
            .collect();
        Catalogue { entries }
    }

    /// Every SRV.
    pub fn entries(&self) -> &[ServiceReferenceVariant] {
        &self.entries
    }

    /// The SRV named `srv`, e.g. "4.1.1".
    pub fn get(&self, srv: &str) -> Option<&ServiceReferenceVariant> {
        self.entries.iter().find(|e| e.srv == srv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_match_the_fact_sheet() {
        // DOMAIN §1.1: 129 SRVs, 37 Critical, 112 On Demand, 57 Future Dated capable
        // (45 DSP, 11 device, 1 both), 13 DCC Scheduled, 16 non-device.
        let c = Catalogue::builtin();
        let count = |f: &dyn Fn(&ServiceReferenceVariant) -> bool| c.entries().iter().filter(|e| f(e)).count();
        assert_eq!(c.entries().len(), 129);
        assert_eq!(count(&|e| e.critical), 37);
        assert_eq!(count(&|e| e.on_demand), 112);
        assert_eq!(count(&|e| e.future_dated == FutureDated::Dsp), 45);
        assert_eq!(count(&|e| e.future_dated == FutureDated::Device), 11);
        assert_eq!(count(&|e| e.future_dated == FutureDated::DspAndDevice), 1);
        assert_eq!(count(&|e| e.dcc_scheduled), 13);
        assert_eq!(count(&|e| e.non_device), 16);
        assert_eq!(count(&|e| e.allows(UserRole::ElectricityDistributor)), 38);
    }

    #[test]
    fn sizes_and_flags_of_named_requests() {
        let c = Catalogue::builtin();
        let read = c.get("4.1.1").unwrap();
        assert_eq!((read.electricity.command_bytes, read.critical), (Some(158), false));
        assert!(read.allows(UserRole::GasTransporter) && !read.allows(UserRole::OtherUser));
        // DOMAIN §1.1: 7.2 Disable Supply, pre-command 55 B, command 146 B, response 111 B.
        let disable = c.get("7.2").unwrap();
        assert!(disable.critical);
        assert_eq!(
            disable.electricity,
            MessageSizes { command_bytes: Some(146), response_bytes: Some(111), precommand_bytes: Some(55) }
        );
        // DOMAIN §1.1: the 6.23 CoS credential update command is about 1.9 kB.
        assert_eq!(c.get("6.23").unwrap().electricity.command_bytes, Some(1885));
        assert_eq!(c.get("11.1").unwrap().electricity.command_or_median(), MEDIAN_COMMAND_BYTES);
        assert_eq!(read.target_response_time(Mode::OnDemand), SimDuration::from_secs(30));
    }

    #[test]
    fn the_catalogue_agrees_with_the_duis_matrix_fact_file() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/data/duis-request-matrix.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let matrix: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        let c = Catalogue::builtin();
        assert_eq!(matrix.len(), c.entries().len());
        for (row, e) in matrix.iter().zip(c.entries()) {
            assert_eq!(row["Service Reference Variant"], e.srv.as_str());
            assert_eq!(row["Critical"] == "Yes", e.critical, "{}", e.srv);
            assert_eq!(row["On Demand"] == "Yes", e.on_demand, "{}", e.srv);
            assert_eq!(row["DCC Scheduled"] == "Yes", e.dcc_scheduled, "{}", e.srv);
            let roles: Vec<&str> =
                row["Eligible User Roles"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            assert_eq!(roles, e.roles.iter().map(|r| r.code()).collect::<Vec<_>>(), "{}", e.srv);
        }
    }
}
