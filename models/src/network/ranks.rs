//! A run split over ranks (processes): what each rank's partitions hand to rank 0,
//! which counts them into the measures and writes the rows, in partition order as
//! one process does. One process hands them on as they are, with no copying.

use sim::{Cluster, SimTime, StationStats, Wire};

use super::NetworkPartition;
use super::shard::ShardResult;
use crate::alert::AlertRecord;
use crate::csp::wan_cell::CellsResult;
use crate::region::CspRegion;
use crate::service_request::ServiceRequestRecord;

/// What a partition hands on at a drain: the rows that ended, and its stations'
/// finished series buckets.
#[allow(clippy::large_enum_variant)] // One per partition per drain: size is no concern.
pub(super) enum Drained {
    /// A DSP shard's: User Gateway, DSP, CoS Party and alert delivery series.
    Dsp { requests: Vec<ServiceRequestRecord>, alerts: Vec<AlertRecord>, series: [StationStats; 5] },
    /// A CSP block's: its cells' series, for its region.
    Csp { region: CspRegion, alerts: Vec<AlertRecord>, series: StationStats },
}

/// What a partition hands on at the end.
#[allow(clippy::large_enum_variant)] // One per partition per run: size is no concern.
pub(super) enum Finished {
    /// A DSP shard's figures and rows.
    Dsp(ShardResult),
    /// A CSP block's, for its region.
    Csp(CspRegion, CellsResult),
}

impl NetworkPartition {
    /// The rows that ended before `now`, and the series buckets finished by then.
    pub(super) fn drain(&mut self, now: SimTime) -> Drained {
        match self {
            NetworkPartition::Dsp(shard) => {
                let (requests, alerts) = shard.take_rows(now);
                Drained::Dsp { requests, alerts, series: shard.take_series(now) }
            }
            NetworkPartition::Csp(block) => {
                Drained::Csp { region: block.region(), alerts: block.take_alerts(), series: block.take_series(now) }
            }
        }
    }

    /// Ends the partition's run at `end`.
    pub(super) fn finish(self, end: SimTime) -> Finished {
        match self {
            NetworkPartition::Dsp(mut shard) => Finished::Dsp(shard.finish(end)),
            NetworkPartition::Csp(mut block) => Finished::Csp(block.region(), block.finish(end)),
        }
    }
}

/// Every rank's `mine`, in rank order (so in partition order), at rank 0; nothing
/// at the other ranks. One process gets its own back untouched.
pub(super) fn gathered<T: Wire>(cluster: &mut impl Cluster, mine: Vec<T>) -> Vec<T> {
    if cluster.ranks() == 1 {
        return mine;
    }
    let mut bytes = Vec::new();
    mine.encode(&mut bytes);
    let Some(all) = cluster.gather(&bytes) else { return Vec::new() };
    let mut out = Vec::new();
    for rank in &all {
        let mut input = &rank[..];
        out.extend(Vec::<T>::decode(&mut input));
        assert!(input.is_empty(), "a rank sent more than it encoded");
    }
    out
}

impl Wire for Drained {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Drained::Dsp { requests, alerts, series } => {
                0u8.encode(out);
                requests.encode(out);
                alerts.encode(out);
                series.iter().for_each(|s| s.encode(out));
            }
            Drained::Csp { region, alerts, series } => {
                1u8.encode(out);
                region.encode(out);
                alerts.encode(out);
                series.encode(out);
            }
        }
    }

    fn decode(input: &mut &[u8]) -> Self {
        match u8::decode(input) {
            0 => Drained::Dsp {
                requests: Wire::decode(input),
                alerts: Wire::decode(input),
                series: std::array::from_fn(|_| StationStats::decode(input)),
            },
            1 => Drained::Csp { region: Wire::decode(input), alerts: Wire::decode(input), series: Wire::decode(input) },
            tag => panic!("{tag} is not a drained partition"),
        }
    }
}

impl Wire for Finished {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Finished::Dsp(r) => {
                0u8.encode(out);
                r.encode(out);
            }
            Finished::Csp(region, r) => {
                1u8.encode(out);
                region.encode(out);
                r.encode(out);
            }
        }
    }

    fn decode(input: &mut &[u8]) -> Self {
        match u8::decode(input) {
            0 => Finished::Dsp(Wire::decode(input)),
            1 => {
                let region = CspRegion::decode(input);
                Finished::Csp(region, Wire::decode(input))
            }
            tag => panic!("{tag} is not a finished partition"),
        }
    }
}
