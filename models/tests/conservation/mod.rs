//! Conservation: every request ends in one record, and every station saw exactly
//! the visits the records account for.

use models::RunOutput;
use models::scenario::traffic::TrafficStream;
use models::service_request::{Mode, Outcome, Refusal, ServiceRequestRecord};
use models::streams::{Purpose, Streams};

/// Every submitted request ends in exactly one record with exactly one outcome, and
/// every station saw exactly the visits the records account for.
pub fn assert_conserved(r: &RunOutput) {
    assert_eq!(r.rows.requests.len() as u64, r.measures.run.submitted);
    let mut ids: Vec<u64> = r.rows.requests.iter().map(|x| x.sr_id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), r.rows.requests.len(), "sr_ids are unique");
    assert_eq!(
        models::measures::TrtCounts::of(&r.rows.requests),
        r.measures.trt,
        "the counts streamed as the run went are those of the records"
    );
    for rec in &r.rows.requests {
        match rec.outcome {
            Outcome::Responded => assert!(rec.responded.is_some_and(|t| t >= rec.submitted)),
            Outcome::Unfinished => assert!(rec.responded.is_none()),
            Outcome::NotYetDue => {
                assert!(rec.responded.is_none() && rec.execution.is_some_and(|t| t >= r.measures.run.end), "{rec:?}")
            }
            Outcome::Rejected | Outcome::Failed | Outcome::DeviceRejected => {
                assert!(rec.responded.is_some_and(|t| t >= rec.submitted))
            }
            // Deleted from quarantine: received, never answered.
            Outcome::Refused if rec.refused_by == Some(Refusal::Quarantined) => {
                assert!(rec.responded.is_none() && rec.received.is_some() && rec.quarantined, "{rec:?}");
            }
            // Throttled: received, then rejected over its User's allocation.
            Outcome::Refused if rec.refused_by == Some(Refusal::Throttled) => {
                assert!(rec.responded.is_none() && rec.received.is_some(), "{rec:?}");
            }
            // Never received: no response, and turned away at least once.
            Outcome::Refused => assert!(rec.responded.is_none() && rec.received.is_none() && rec.refusals >= 1),
        }
        if let Some(received) = rec.received {
            assert!(received >= rec.submitted, "received before it was sent: {rec:?}");
            assert!(rec.refusals == 0 || received > rec.submitted, "refused, then received at once: {rec:?}");
        }
    }
    if r.world.scenario.wan_outages.is_empty() {
        assert_visits(r);
    } else {
        // A command the CSP gave up on while its cell was down never went on the
        // air, which the replay of loss draws cannot know: each station balances.
        let stages = &r.measures.stages;
        for station in [&stages.user_gateway, &stages.dsp, &stages.cos_party, &stages.smets1_service]
            .into_iter()
            .chain(&stages.wan_cells)
        {
            assert_eq!(station.arrivals, station.completions + station.in_system.level(), "each station balances");
        }
    }
}

/// What each station must have seen of the requests: counted from the records, the
/// WAN's retransmissions replayed from the run's own loss draws. A request still on
/// its way at the end (unfinished) may be anywhere on its path, so a run with some
/// is held to each station's own balance and to the finished requests' visits.
fn assert_visits(r: &RunOutput) {
    let stages = &r.measures.stages;
    let mut expected = Visits::default();
    let mut unfinished = Visits::default();
    for rec in &r.rows.requests {
        let v = Visits::of(r, rec);
        // One the device holds past the end is on its way, like an unfinished one.
        let on_its_way =
            rec.outcome == Outcome::Unfinished || (rec.outcome == Outcome::NotYetDue && device_held(r, rec));
        if on_its_way { unfinished.add(&v) } else { expected.add(&v) }
    }
    let cells: [u64; 3] = std::array::from_fn(|i| stages.wan_cells[i].arrivals);
    let seen = Visits {
        gateway: stages.user_gateway.arrivals,
        dsp: stages.dsp.arrivals,
        cos_party: stages.cos_party.arrivals,
        smets1: stages.smets1_service.arrivals,
        cells,
    };
    if unfinished == Visits::default() {
        assert_eq!(seen, expected, "every station saw exactly the finished requests' visits");
        for station in [&stages.user_gateway, &stages.dsp, &stages.cos_party, &stages.smets1_service]
            .into_iter()
            .chain(&stages.wan_cells)
        {
            assert_eq!((station.completions, station.in_system.level()), (station.arrivals, 0), "all left");
        }
        return;
    }
    for station in [&stages.user_gateway, &stages.dsp, &stages.cos_party, &stages.smets1_service]
        .into_iter()
        .chain(&stages.wan_cells)
    {
        assert_eq!(station.arrivals, station.completions + station.in_system.level(), "each station balances");
    }
    let (seen, low, high) = (seen.all(), expected.all(), {
        expected.add(&unfinished);
        expected.all()
    });
    for ((s, lo), hi) in seen.iter().zip(low).zip(high) {
        assert!((lo..=hi).contains(s), "{s} visits, {lo} finished and at most {hi} with the unfinished");
    }
}

/// Whether the device, not the DSP, holds a Future Dated request to its execution.
fn device_held(r: &RunOutput, rec: &ServiceRequestRecord) -> bool {
    let s = &r.world.scenario;
    let device = s.traffic[usize::from(rec.stream)].srv().future_dated == models::catalogue::FutureDated::Device;
    rec.mode == Mode::FutureDated && device && !(s.smets1_service.enabled && rec.smets1)
}

/// A request's visits to each station (for an unfinished one: had it finished).
#[derive(Debug, Default, PartialEq, Eq)]
struct Visits {
    gateway: u64,
    dsp: u64,
    cos_party: u64,
    smets1: u64,
    cells: [u64; 3],
}

impl Visits {
    fn of(r: &RunOutput, rec: &ServiceRequestRecord) -> Visits {
        let s = &r.world.scenario;
        let stream = &s.traffic[usize::from(rec.stream)];
        assert_eq!((stream.srv().srv.as_str(), stream.user_role, stream.mode), (rec.srv, rec.user_role, rec.mode));
        let rejected = rec.outcome == Outcome::Rejected;
        if rec.refused_by == Some(Refusal::Quarantined) {
            // Screened on leaving the gateway the first time, and deleted there.
            return Visits { gateway: 1, ..Visits::default() };
        }
        if rec.outcome == Outcome::Refused {
            // Turned away at the gateway: a Critical one after its first pass (its
            // Pre-Command was signed), any other before it entered.
            let signed = u64::from(rec.critical && rec.user_signing > sim::SimDuration::ZERO);
            return Visits { gateway: signed, dsp: signed, ..Visits::default() };
        }
        // A Critical request passes the User Gateway and the DSP a second time as a
        // signed Pre-Command; a DCC Scheduled one starts in the DSP.
        let passes = 1 + u64::from(rec.critical && !rejected);
        if rec.outcome == Outcome::NotYetDue && !device_held(r, rec) {
            // Validated (signed, and countersigned by the CoS Party), then held by
            // the DSP for its execution date-time.
            return Visits {
                gateway: if rec.mode == Mode::Scheduled { 0 } else { passes },
                dsp: passes,
                cos_party: u64::from(stream.signed_by_cos_party()),
                ..Visits::default()
            };
        }
        // A non-device request is answered by the DSP: no WAN, no response to process.
        let device = !stream.srv().non_device || stream.carries_firmware();
        let mut v = Visits {
            gateway: if rec.mode == Mode::Scheduled { 0 } else { passes },
            dsp: passes + u64::from(!rejected && device),
            cos_party: u64::from(stream.signed_by_cos_party() && !rejected),
            ..Visits::default()
        };
        if !rejected && device && s.smets1_service.enabled && rec.smets1 {
            // Through the SMETS1 service providers, once, never lost.
            v.smets1 = 1;
        } else if !rejected && device {
            let (sent, gave_up) = wan_transmissions(r, rec, stream);
            if !matches!(rec.outcome, Outcome::Unfinished | Outcome::NotYetDue) {
                assert_eq!(gave_up, rec.outcome == Outcome::Failed, "request {}", rec.sr_id);
            }
            v.cells[rec.region.index()] = sent;
        }
        v
    }

    fn add(&mut self, o: &Visits) {
        self.gateway += o.gateway;
        self.dsp += o.dsp;
        self.cos_party += o.cos_party;
        self.smets1 += o.smets1;
        for (c, d) in self.cells.iter_mut().zip(o.cells) {
            *c += d;
        }
    }

    fn all(&self) -> [u64; 7] {
        [self.gateway, self.dsp, self.cos_party, self.smets1, self.cells[0], self.cells[1], self.cells[2]]
    }
}

/// A request's transmissions on its cell, replaying the draws the CSP made: each
/// payload of the command until received, then the response, one retry count shared
/// by the last payload and the response (models/src/csp/wan_cell.rs). Returns them
/// and whether the CSP gave up.
pub fn wan_transmissions(r: &RunOutput, rec: &ServiceRequestRecord, stream: &TrafficStream) -> (u64, bool) {
    let s = &r.world.scenario;
    let csp = &s.csp[r.world.population.kind(rec.premises).network().index()];
    let payloads = if stream.carries_firmware() {
        u64::from(stream.command_bytes.div_ceil(s.wan_gateway.firmware_payload_bytes))
    } else {
        1
    };
    let streams = Streams::new(s.seed, s.replication);
    let lost = |counter: u64| {
        csp.loss_probability.get() > 0.0
            && streams.stream(rec.sr_id, Purpose::WanLoss, counter).unit_f64() < csp.loss_probability.get()
    };
    let (mut sent, mut retries) = (0, 0u64);
    let legs = (0..payloads).map(|p| (p, 0)).chain([(payloads - 1, 1)]);
    for (payload, uplink) in legs {
        if uplink == 0 {
            retries = 0;
        }
        loop {
            sent += 1;
            if !lost((payload << 16) | (retries * 2 + uplink)) {
                break;
            }
            if retries == u64::from(csp.max_retries) {
                return (sent, true);
            }
            retries += 1;
        }
    }
    (sent, false)
}
