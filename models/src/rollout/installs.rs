//! One supplier in one DNO area (a *cell*): its premises, installers, hub stock and
//! fleet, simulated day by day.
//!
//! Each working day the installers attempt visits up to their capacity, as many as
//! there are premises to visit, and never more than the hubs in stock. Every visit
//! is one unit with one outcome: aborted on site, or installed (with or without the
//! WAN). A visit that could not be made for want of a hub is a lost install. Cells
//! share nothing, so they run in parallel and each draws from its own keyed random
//! streams: results do not depend on the thread count.

use rand_distr::{Binomial, Distribution, StandardNormal};
use sim::SplitMix64;

use super::enrolment::{Pipeline, Waits};
use super::hub_supply::{ForecastBook, HubStock, delivery_quantity, forecast_due, order_quantity};
use super::migration::{installs_2g3g, monthly_replacement_probability, swap_demand};
use super::{CellMonth, MonthCalendar};
use crate::scenario::rollout::Month;
use crate::scenario::rollout::RolloutScenario;
use crate::streams::{Purpose, Streams};

/// Which cell: supplier and DNO area, with its shares of GB.
#[derive(Debug, Clone, Copy)]
pub struct CellId {
    /// Index of the supplier.
    pub supplier: usize,
    /// Index into [`crate::topology::dno::DNO_AREAS`].
    pub area: usize,
    /// Share of GB premises in the cell.
    pub share: f64,
    /// Whether its CSP region is cellular (Central, South).
    pub cellular: bool,
}

/// A cell's fleet, in premises.
#[derive(Debug, Clone, Default)]
struct Fleet {
    premises: u64,
    legacy_willing: u64,
    legacy_refusing: u64,
    s1_waiting: u64,
    s1_stranded: u64,
    s1_migrated: u64,
    s2_installed: u64,
    s2_enrolled: u64,
    /// SMETS2 installs whose 2G/3G hub lost the WAN at the switch-off.
    s2_lost_wan: u64,
    wan_unresolved: u64,
    hubs_2g3g: u64,
    hubs_4g: u64,
}

impl Fleet {
    fn install_pool(&self) -> u64 {
        self.legacy_willing + self.s1_stranded
    }

    fn swap_pool(&self, cellular: bool) -> u64 {
        self.hubs_2g3g + if cellular { self.s1_migrated } else { 0 }
    }
}

/// Rounds `x` up or down at random, keeping its mean.
fn stochastic_round(x: f64, rng: &mut SplitMix64) -> u64 {
    let floor = x.floor();
    floor as u64 + u64::from(rng.unit_f64() < x - floor)
}

fn binomial(n: u64, p: f64, rng: &mut SplitMix64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map_or(0, |b| b.sample(rng))
}

/// Simulates one cell over the study; one row per month.
pub fn simulate_cell(s: &RolloutScenario, cal: &[MonthCalendar], cell: CellId) -> Vec<CellMonth> {
    Cell::new(s, cal, cell).run()
}

struct Cell<'a> {
    s: &'a RolloutScenario,
    cal: &'a [MonthCalendar],
    id: CellId,
    /// The cell's random streams: entity `entity` of the study's [`Streams`].
    streams: Streams,
    entity: u64,
    waits: Waits,
    /// Expected installed premises per month, at capacity (index: month − start).
    capacity: Vec<f64>,
    fleet: Fleet,
    pipeline: Pipeline,
    book: ForecastBook,
    orders: Vec<(Month, u64)>,
    stock: HubStock,
    /// Premises left to visit at the start of the current month.
    pool_at_month_start: u64,
}

impl<'a> Cell<'a> {
    fn new(s: &'a RolloutScenario, cal: &'a [MonthCalendar], id: CellId) -> Cell<'a> {
        let r = &s.rollout;
        let per_premises = r.scale * id.share / r.meters_per_premises;
        let capacity = cal.iter().map(|c| c.installed_meters_capacity * per_premises).collect();
        let entity = (id.supplier * crate::topology::dno::DNO_AREAS.len() + id.area) as u64;
        let waits = Waits::new(
            r.wan.no_wan_share.get(),
            r.wan.unconnected_at_90_days_share.get(),
            r.enrolment.check_mean_days,
            r.enrolment.check_window_days,
        );
        let mut cell = Cell {
            s,
            cal,
            id,
            streams: Streams::rollout(s.seed),
            entity,
            waits,
            capacity,
            fleet: Fleet::default(),
            pipeline: Pipeline::default(),
            book: ForecastBook::default(),
            orders: Vec::new(),
            stock: HubStock::default(),
            pool_at_month_start: 0,
        };
        cell.initial_state();
        cell
    }

    fn stream(&self, purpose: Purpose, counter: u64) -> SplitMix64 {
        self.streams.stream(self.entity, purpose, counter)
    }

    fn initial_state(&mut self) {
        let r = &self.s.rollout;
        let to_premises = |meters: f64| (meters * r.scale * self.id.share / r.meters_per_premises).round() as u64;
        let f = &mut self.fleet;
        f.premises = (crate::scenario::gb_premises() * r.scale * self.id.share).round() as u64;
        let s1 = to_premises(r.initial.smets1_meters);
        f.s1_migrated = to_premises(r.initial.smets1_migrated_meters).min(s1);
        let migratable = ((s1 as f64) * r.smets1.migratable_share.get()).round() as u64;
        f.s1_waiting = migratable.saturating_sub(f.s1_migrated);
        f.s1_stranded = s1 - f.s1_migrated - f.s1_waiting;
        f.s2_installed = to_premises(r.initial.smets2_meters).min(f.premises.saturating_sub(s1));
        // The installed SMETS2 fleet starts in service, less those never connected.
        f.wan_unresolved = (f.s2_installed as f64 * r.wan.unconnected_at_90_days_share.get()).round() as u64;
        f.s2_enrolled = f.s2_installed - f.wan_unresolved;
        if installs_2g3g(&r.lte, self.s.start.plus(-1), self.id.cellular) {
            f.hubs_2g3g = f.s2_installed;
        } else if self.s.start.plus(-1) >= r.lte.standard_from {
            f.hubs_4g = f.s2_installed;
        }
        let legacy = f.premises - s1 - f.s2_installed;
        f.legacy_refusing = (legacy as f64 * r.refusal_share.get()).round() as u64;
        f.legacy_willing = legacy - f.legacy_refusing;
        // Forecasts for the first ten months were submitted before the run, on the
        // same rule; orders already placed for the first months match them.
        for k in 0..super::hub_supply::FORECAST_LEAD_MONTHS {
            let delivery = self.s.start.plus(k);
            self.submit_forecast(delivery, forecast_due(delivery), false);
        }
        for k in 0..r.hubs.order_lead_months {
            let m = self.s.start.plus(k);
            let q = self.book.forecast(m).unwrap_or(0);
            self.orders.push((m, q));
        }
        let initial = (r.hubs.initial_stock_months * self.expected_hubs(self.s.start, self.s.start)).round() as u64;
        self.stock.receive(self.s.start, initial, r.hubs.shelf_life_months);
    }

    fn index(&self, m: Month) -> Option<usize> {
        usize::try_from(m.since(self.s.start)).ok().filter(|&i| i < self.capacity.len())
    }

    /// Hubs the party expects to use in month `target`, as seen at the start of `now`.
    fn expected_hubs(&self, now: Month, target: Month) -> f64 {
        let Some(t) = self.index(target) else { return 0.0 };
        let from = self.index(now).unwrap_or(0).min(t);
        // The premises left to visit, month by month, as installers work through them.
        let uptake = self.s.rollout.uptake_share_per_month.get();
        let mut left = self.fleet.install_pool() as f64;
        for cap in &self.capacity[from..t] {
            left -= cap.min(left * uptake);
        }
        let installs = self.capacity[t].min(left * uptake) * (1.0 + self.s.rollout.hubs.fault_share.get());
        let lte = &self.s.rollout.lte;
        let swaps = if swap_demand(lte, target, 1) > 0 {
            let pool = self.fleet.swap_pool(self.id.cellular) as f64;
            let months_left = f64::from(lte.switch_off.since(now.max(lte.migration_start.unwrap_or(now))) + 1);
            let crew = self.swap_crew_per_day() * self.cal[t].working_days as f64;
            (pool / months_left.max(1.0)).min(crew)
        } else {
            0.0
        };
        installs + swaps
    }

    /// The forecast for delivery in `delivery`, submitted in `submitted` (or a month
    /// late, by chance, if `may_be_late`: forecasts from before the run were on time).
    fn submit_forecast(&mut self, delivery: Month, submitted: Month, may_be_late: bool) {
        let h = self.s.rollout.hubs;
        let mut rng = self.stream(Purpose::RolloutForecast, delivery.since(Month::new(0, 1)) as u64);
        let z: f64 = StandardNormal.sample(&mut rng);
        let late = rng.unit_f64() < h.late_forecast_probability.get() && may_be_late;
        let need = self.expected_hubs(submitted.max(self.s.start), delivery);
        let hubs = (need * (1.0 + h.forecast_bias_share + h.forecast_error_sd_share * z).max(0.0)).round() as u64;
        let when = if late { submitted.plus(1) } else { submitted };
        // A late forecast is refused by the book and counted there.
        let _ = self.book.submit(delivery, when, hubs);
    }

    /// The order for delivery in `delivery`, placed at the start of `now`.
    fn place_order(&mut self, now: Month, delivery: Month) {
        let h = self.s.rollout.hubs;
        let Some(forecast) = self.book.forecast(delivery) else {
            self.orders.push((delivery, 0));
            return;
        };
        let pending: u64 = self.orders.iter().filter(|(m, _)| *m > now && *m < delivery).map(|&(_, q)| q).sum();
        let mut use_before = 0.0;
        let mut m = now;
        while m < delivery {
            use_before += self.expected_hubs(now, m);
            m = m.plus(1);
        }
        let projected = self.stock.available() as f64 + pending as f64 - use_before;
        let target = (1.0 + h.stock_cover_months) * self.expected_hubs(now, delivery);
        self.orders.push((delivery, order_quantity(target, projected, forecast, h.tolerance_share.get())));
    }

    fn run(mut self) -> Vec<CellMonth> {
        let mut rows = Vec::with_capacity(self.cal.len());
        let mut day: u64 = 0;
        for (i, cal) in self.cal.iter().enumerate() {
            let m = cal.month;
            let mut row = CellMonth::default();
            self.start_month(m, i, &mut row);
            self.pool_at_month_start = self.fleet.install_pool();
            let swaps_due = swap_demand(&self.s.rollout.lte, m, self.fleet.swap_pool(self.id.cellular));
            row.hub_swap_demand = swaps_due;
            let mut swaps_left = swaps_due;
            for d in 0..cal.days {
                let mut rng = self.stream(Purpose::RolloutDay, day);
                let moves = self.pipeline.advance(day, &self.waits, &mut rng);
                row.no_wan_resolved += moves.wan_resolved;
                row.no_wan_unresolved_90d += moves.wan_unresolved;
                row.commissioned += moves.wan_resolved;
                row.checks_overdue += moves.checks_overdue;
                row.newly_enrolled += moves.enrolled;
                self.fleet.s2_enrolled += moves.enrolled;
                self.fleet.wan_unresolved += moves.wan_unresolved;
                if cal.working[d as usize] {
                    self.working_day(m, day, &mut swaps_left, &mut rng, &mut row);
                }
                day += 1;
            }
            if m == self.s.rollout.lte.switch_off {
                self.switch_off(&mut row);
            }
            self.end_month(&mut row);
            rows.push(row);
        }
        rows
    }

    fn start_month(&mut self, m: Month, i: usize, row: &mut CellMonth) {
        let r = &self.s.rollout;
        let h = r.hubs;
        let mut rng = self.stream(Purpose::RolloutMonth, i as u64);
        let (expired, back) = self.stock.start_month(m, h.shelf_life_months);
        row.ch_expired = expired;
        row.ch_refurbished = back;
        let forecast = self.book.forecast(m);
        row.ch_forecast = forecast.unwrap_or(0);
        let order = self.orders.iter().find(|(d, _)| *d == m).map_or(0, |&(_, q)| q);
        row.ch_ordered = order;
        row.ch_delivered = forecast.map_or(0, |f| {
            delivery_quantity(order, rng.unit_f64() * h.delivery_shortfall_max_share.get(), f, h.tolerance_share.get())
        });
        self.stock.receive(m, row.ch_delivered, h.shelf_life_months);
        self.orders.retain(|(d, _)| *d > m);
        self.book.forget_before(m);
        let rejected_before = self.book.rejected();
        let next = m.plus(super::hub_supply::FORECAST_LEAD_MONTHS);
        if next <= self.s.end {
            self.submit_forecast(next, forecast_due(next), true);
        }
        row.forecasts_late = self.book.rejected() - rejected_before;
        let order_for = m.plus(h.order_lead_months);
        if order_for <= self.s.end {
            self.place_order(m, order_for);
        }
        // SMETS1: migration at the month's rate, and replacement before migration.
        let f = &mut self.fleet;
        let per_premises = r.scale * self.id.share / r.meters_per_premises;
        let to_migrate = stochastic_round(r.smets1.migration_meters_per_month.at(m) * per_premises, &mut rng);
        let migrated = to_migrate.min(f.s1_waiting);
        f.s1_waiting -= migrated;
        f.s1_migrated += migrated;
        row.smets1_migrated = migrated;
        let replaced = binomial(
            f.s1_waiting,
            monthly_replacement_probability(r.smets1.replacement_share_per_year.get()),
            &mut rng,
        );
        f.s1_waiting -= replaced;
        f.s1_stranded += replaced;
    }

    fn working_day(&mut self, m: Month, day: u64, swaps_left: &mut u64, rng: &mut SplitMix64, row: &mut CellMonth) {
        let r = &self.s.rollout;
        let Some(i) = self.index(m) else { return };
        let working_days = self.cal[i].working_days.max(1) as f64;
        let per_day = self.capacity[i] / working_days / (1.0 - r.abort_share.get());
        // Only so many of the premises left accept a visit each month.
        let willing = self.pool_at_month_start as f64 * r.uptake_share_per_month.get()
            / working_days
            / (1.0 - r.abort_share.get());
        let wanted = stochastic_round(per_day.min(willing), rng).min(self.fleet.install_pool());
        let swaps_wanted = stochastic_round(self.swap_crew_per_day(), rng).min(*swaps_left);
        // Hubs in stock are shared in proportion when they do not cover both.
        let available = self.stock.available();
        let (visits, swaps) = if wanted + swaps_wanted <= available {
            (wanted, swaps_wanted)
        } else {
            let v = (available as f64 * wanted as f64 / (wanted + swaps_wanted) as f64).floor() as u64;
            (v, available - v)
        };
        row.installs_lost_no_stock += wanted - visits;
        row.hub_swaps_lost_no_stock += swaps_wanted - swaps;
        let two_g = installs_2g3g(&r.lte, m, self.id.cellular);
        for _ in 0..visits {
            self.visit(day, m, two_g, rng, row);
        }
        for _ in 0..swaps {
            self.swap(rng, row);
        }
        *swaps_left -= swaps;
    }

    /// Hub-swap crew visits per working day in this cell: the national crews work
    /// where the 2G/3G hubs are, Central and South, in proportion to premises.
    fn swap_crew_per_day(&self) -> f64 {
        if !self.id.cellular {
            return 0.0;
        }
        let cellular: f64 = crate::topology::dno::DNO_AREAS
            .iter()
            .filter(|a| a.region != crate::region::CspRegion::North)
            .map(|a| a.customers_m)
            .sum::<f64>()
            / crate::topology::gb_customers_m();
        self.s.rollout.lte.swaps_per_working_day * self.s.rollout.scale * self.id.share / cellular
    }

    /// One install visit.
    fn visit(&mut self, day: u64, m: Month, two_g: bool, rng: &mut SplitMix64, row: &mut CellMonth) {
        let r = &self.s.rollout;
        row.installs_attempted += 1;
        // An aborted visit leaves its hub in the installer's stock.
        if rng.unit_f64() < r.abort_share.get() || self.stock.take(1) == 0 {
            row.installs_failed += 1;
            return;
        }
        row.ch_used += 1;
        if rng.unit_f64() < r.hubs.fault_share.get() {
            // The hub is faulty: it goes back, and another is fitted if there is one.
            row.ch_returned += 1;
            if rng.unit_f64() < r.hubs.refurbish_share.get() {
                self.stock.refurbish(m.plus(r.hubs.refurbish_months), 1);
            }
            if self.stock.take(1) == 0 {
                row.installs_failed += 1;
                return;
            }
            row.ch_used += 1;
        }
        row.installs_succeeded += 1;
        // SMETS1 meters that cannot join the DCC network are replaced first: the
        // supplier must (DOMAIN §6: Ofgem allowed an extra year to replace them).
        let f = &mut self.fleet;
        if f.s1_stranded > 0 {
            f.s1_stranded -= 1;
            row.installs_replacing_smets1 += 1;
        } else {
            f.legacy_willing -= 1;
        }
        f.s2_installed += 1;
        if two_g {
            f.hubs_2g3g += 1;
        } else if m >= r.lte.standard_from {
            f.hubs_4g += 1;
        }
        let wan = rng.unit_f64() >= r.wan.no_wan_share.get();
        if wan {
            row.commissioned += 1;
        } else {
            row.no_wan_installs += 1;
        }
        let enrolled = self.pipeline.install(day, wan, &self.waits, rng);
        self.fleet.s2_enrolled += enrolled;
        row.newly_enrolled += enrolled;
    }

    /// One 2G/3G hub replaced by a 4G one (a migrated SMETS1 meter by a SMETS2 meter
    /// with a 4G hub): the installation stays enrolled.
    fn swap(&mut self, rng: &mut SplitMix64, row: &mut CellMonth) {
        let f = &mut self.fleet;
        let pool = f.swap_pool(self.id.cellular);
        if pool == 0 || self.stock.take(1) == 0 {
            return;
        }
        row.ch_used += 1;
        row.ch_returned += 1;
        row.hub_swaps += 1;
        if rng.below(pool) < f.hubs_2g3g {
            f.hubs_2g3g -= 1;
        } else {
            f.s1_migrated -= 1;
            f.s2_installed += 1;
            f.s2_enrolled += 1;
        }
        f.hubs_4g += 1;
    }

    /// The end of the switch-off month: 2G/3G hubs lose the WAN.
    fn switch_off(&mut self, row: &mut CellMonth) {
        let f = &mut self.fleet;
        let s2_lost = f.hubs_2g3g.min(f.s2_enrolled);
        f.s2_enrolled -= s2_lost;
        f.s2_lost_wan += s2_lost;
        f.hubs_2g3g = 0;
        let s1_lost = if self.id.cellular { f.s1_migrated } else { 0 };
        f.s1_migrated -= s1_lost;
        f.s1_stranded += s1_lost;
        row.stranded_at_switch_off = s2_lost + s1_lost;
    }

    fn end_month(&mut self, row: &mut CellMonth) {
        let f = &self.fleet;
        row.ch_stock = self.stock.available();
        row.premises = f.premises;
        row.smets1_installed = f.s1_waiting + f.s1_stranded + f.s1_migrated;
        row.smets1_migrated_total = f.s1_migrated;
        row.smets2_installed = f.s2_installed;
        row.smets2_enrolled = f.s2_enrolled;
        row.enrolled_total = f.s2_enrolled + f.s1_migrated;
        row.awaiting_wan = self.pipeline.awaiting_wan;
        row.wan_unresolved = f.wan_unresolved;
        row.awaiting_checks = self.pipeline.awaiting_checks;
        row.hubs_2g3g = f.swap_pool(self.id.cellular);
        row.hubs_4g = f.hubs_4g;
        row.not_smart = f.legacy_willing + f.legacy_refusing;
        debug_assert_eq!(
            f.premises,
            row.not_smart + row.smets1_installed + f.s2_installed,
            "every premises is in exactly one state"
        );
        debug_assert_eq!(
            f.s2_installed,
            f.s2_enrolled
                + f.wan_unresolved
                + self.pipeline.awaiting_wan
                + self.pipeline.awaiting_checks
                + f.s2_lost_wan,
            "every SMETS2 install is in exactly one SMI status"
        );
    }
}
