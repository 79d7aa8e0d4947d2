//! Communications Hub supply under SEC F5: forecasts, orders, deliveries and stock.
//!
//! Each party (a supplier, per delivery location: one per DNO area here, an
//! assumption standing for F5's delivery locations and hub variants) forecasts the
//! hubs it wants delivered in month M **during month M − 10**, the first forecast
//! included (DOMAIN §0, ch. 14 [H]). A forecast submitted in any other month is
//! rejected: nothing is ordered or delivered for M. The order follows at M −
//! `order_lead_months`; orders and deliveries stay inside a tolerance band around
//! the forecast (DOMAIN §6 [A]: ±10–20%). Delivered hubs join the party's stock, used
//! first in, first out; a hub still in stock `shelf_life_months` after delivery has
//! reached its TSAT end date and is returned (DOMAIN §6, DP238 [H]).

use std::collections::VecDeque;

use crate::scenario::rollout::Month;

/// Months between the month a forecast is submitted in and its delivery month.
pub const FORECAST_LEAD_MONTHS: i32 = 10;

/// Why a forecast was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ForecastRejected {
    /// Submitted after the month ending 10 months before delivery.
    #[error("forecast for delivery in {delivery} submitted in {submitted}: late, it was due in {due}")]
    Late {
        /// The delivery month.
        delivery: Month,
        /// When it was submitted.
        submitted: Month,
        /// When it was due.
        due: Month,
    },
    /// Submitted before the month it is due in.
    #[error("forecast for delivery in {delivery} submitted in {submitted}: early, it is due in {due}")]
    Early {
        /// The delivery month.
        delivery: Month,
        /// When it was submitted.
        submitted: Month,
        /// When it was due.
        due: Month,
    },
    /// A forecast for that month was already accepted.
    #[error("a forecast for delivery in {0} was already accepted")]
    Duplicate(Month),
}

/// The month in which the forecast for delivery month `delivery` must be submitted.
pub fn forecast_due(delivery: Month) -> Month {
    delivery.plus(-FORECAST_LEAD_MONTHS)
}

/// A party's accepted forecasts, by delivery month.
#[derive(Debug, Clone, Default)]
pub struct ForecastBook {
    accepted: Vec<(Month, u64)>,
    rejected: u64,
}

impl ForecastBook {
    /// Records `hubs` for delivery in `delivery`, submitted in `submitted`, if that is
    /// the month the rule says; otherwise counts and returns the rejection.
    pub fn submit(&mut self, delivery: Month, submitted: Month, hubs: u64) -> Result<(), ForecastRejected> {
        let due = forecast_due(delivery);
        let outcome = if submitted > due {
            Err(ForecastRejected::Late { delivery, submitted, due })
        } else if submitted < due {
            Err(ForecastRejected::Early { delivery, submitted, due })
        } else if self.forecast(delivery).is_some() {
            Err(ForecastRejected::Duplicate(delivery))
        } else {
            self.accepted.push((delivery, hubs));
            Ok(())
        };
        if outcome.is_err() {
            self.rejected += 1;
        }
        outcome
    }

    /// The accepted forecast for delivery month `m`, if any.
    pub fn forecast(&self, m: Month) -> Option<u64> {
        // Recent months sit at the end: search backwards.
        self.accepted.iter().rev().find(|(d, _)| *d == m).map(|&(_, q)| q)
    }

    /// Forecasts rejected so far.
    pub fn rejected(&self) -> u64 {
        self.rejected
    }

    /// Forgets forecasts for months before `m` (they are delivered).
    pub fn forget_before(&mut self, m: Month) {
        self.accepted.retain(|(d, _)| *d >= m);
    }
}

/// The whole numbers of hubs within `tolerance` either side of `forecast`.
pub fn tolerance_band(forecast: u64, tolerance: f64) -> (u64, u64) {
    let f = forecast as f64;
    let lo = (f * (1.0 - tolerance) - 1e-9).ceil().max(0.0) as u64;
    let hi = (f * (1.0 + tolerance) + 1e-9).floor() as u64;
    (lo.min(forecast), hi.max(forecast))
}

/// What a party orders: enough to bring its stock at the start of the delivery
/// month up to `target_stock`, kept within the band around the forecast.
pub fn order_quantity(target_stock: f64, projected_stock: f64, forecast: u64, tolerance: f64) -> u64 {
    let (lo, hi) = tolerance_band(forecast, tolerance);
    let wanted = (target_stock - projected_stock).max(0.0).round() as u64;
    wanted.clamp(lo, hi)
}

/// What DCC delivers: the order less a shortfall share, kept within the band.
pub fn delivery_quantity(order: u64, shortfall_share: f64, forecast: u64, tolerance: f64) -> u64 {
    let (lo, hi) = tolerance_band(forecast, tolerance);
    ((order as f64 * (1.0 - shortfall_share)).round() as u64).clamp(lo, hi)
}

/// A party's stock of hubs: delivered lots used first in, first out, and hubs
/// coming back from refurbishment.
#[derive(Debug, Clone, Default)]
pub struct HubStock {
    /// (last month the lot may be used in, hubs left).
    lots: VecDeque<(Month, u64)>,
    /// (month back in stock, hubs).
    refurbishing: VecDeque<(Month, u64)>,
}

impl HubStock {
    /// Hubs available now.
    pub fn available(&self) -> u64 {
        self.lots.iter().map(|&(_, n)| n).sum()
    }

    /// Adds `hubs` received in `month`, usable for `shelf_life_months`.
    pub fn receive(&mut self, month: Month, hubs: u64, shelf_life_months: i32) {
        if hubs > 0 {
            self.lots.push_back((month.plus(shelf_life_months - 1), hubs));
        }
    }

    /// Takes up to `n` hubs, oldest first; returns how many were taken.
    pub fn take(&mut self, n: u64) -> u64 {
        let mut left = n;
        while left > 0 {
            let Some(front) = self.lots.front_mut() else { break };
            let k = front.1.min(left);
            front.1 -= k;
            left -= k;
            if front.1 == 0 {
                self.lots.pop_front();
            }
        }
        n - left
    }

    /// At the start of `month`: returns lots past their TSAT end date (the count
    /// returned) and puts refurbished hubs due back into stock (the count back).
    pub fn start_month(&mut self, month: Month, shelf_life_months: i32) -> (u64, u64) {
        let mut expired = 0;
        while let Some(&(last, n)) = self.lots.front()
            && last < month
        {
            expired += n;
            self.lots.pop_front();
        }
        let mut back = 0;
        while let Some(&(ready, n)) = self.refurbishing.front()
            && ready <= month
        {
            back += n;
            self.refurbishing.pop_front();
        }
        self.receive(month, back, shelf_life_months);
        (expired, back)
    }

    /// Sends `hubs` to be refurbished, back in stock in `ready`.
    pub fn refurbish(&mut self, ready: Month, hubs: u64) {
        if hubs == 0 {
            return;
        }
        match self.refurbishing.back_mut() {
            Some((m, n)) if *m == ready => *n += hubs,
            _ => self.refurbishing.push_back((ready, hubs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo)
    }

    #[test]
    fn a_forecast_is_accepted_only_in_the_month_ending_ten_months_before_delivery() {
        let delivery = m(2027, 3);
        assert_eq!(forecast_due(delivery), m(2026, 5));
        let mut book = ForecastBook::default();
        // Late by a month: refused, counted, and nothing is on the book.
        let late = book.submit(delivery, m(2026, 6), 100).unwrap_err();
        assert!(matches!(late, ForecastRejected::Late { due, .. } if due == m(2026, 5)));
        assert!(book.submit(delivery, m(2026, 4), 100).is_err(), "early is refused too");
        assert_eq!(book.forecast(delivery), None);
        assert_eq!(book.rejected(), 2);
        book.submit(delivery, m(2026, 5), 100).unwrap();
        assert_eq!(book.forecast(delivery), Some(100));
        assert_eq!(book.submit(delivery, m(2026, 5), 5), Err(ForecastRejected::Duplicate(delivery)));
        assert_eq!(book.forecast(delivery), Some(100));
    }

    #[test]
    fn stock_is_used_oldest_first_and_expires_at_its_tsat_end_date() {
        let mut s = HubStock::default();
        s.receive(m(2025, 1), 10, 2); // usable January and February
        s.receive(m(2025, 2), 5, 2);
        assert_eq!(s.take(4), 4);
        assert_eq!(s.start_month(m(2025, 3), 2), (6, 0), "6 of January's lot expire");
        assert_eq!(s.available(), 5);
        assert_eq!(s.take(9), 5, "never more than is in stock");
        assert_eq!(s.available(), 0);
        s.refurbish(m(2025, 5), 3);
        assert_eq!(s.start_month(m(2025, 4), 2), (0, 0));
        assert_eq!(s.start_month(m(2025, 5), 2), (0, 3));
        assert_eq!(s.available(), 3);
    }

    proptest! {
        #[test]
        fn orders_and_deliveries_stay_within_the_band_around_the_forecast(
            forecast in 0u64..1_000_000,
            tolerance in 0.0f64..1.0,
            target in 0.0f64..3e6,
            projected in -1e6f64..3e6,
            shortfall in 0.0f64..1.0,
        ) {
            let (lo, hi) = tolerance_band(forecast, tolerance);
            prop_assert!(lo as f64 >= forecast as f64 * (1.0 - tolerance) - 1e-6);
            prop_assert!(hi as f64 <= forecast as f64 * (1.0 + tolerance) + 1e-6);
            let order = order_quantity(target, projected, forecast, tolerance);
            prop_assert!((lo..=hi).contains(&order));
            let delivered = delivery_quantity(order, shortfall, forecast, tolerance);
            prop_assert!((lo..=hi).contains(&delivered));
            prop_assert!(delivered <= order.max(lo));
        }
    }
}
