//! The network's static structure: DNO licence areas and their distribution
//! networks down to the premises.

pub mod distribution;
pub mod dno;

pub use distribution::{DistributionNetwork, FanOuts};
pub use dno::{DNO_AREA_KEYS, DNO_AREAS, DnoArea, dno_groups, gb_customers_m};
