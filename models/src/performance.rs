//! The performance measures now live in [`crate::measures`]; these paths stay so
//! code written against them keeps compiling.

pub use crate::measures::cpm::{MeasureResult, ServiceLevels, code_performance_measures};
pub use crate::measures::trt::{TrtFigures, TrtSummary, class_of};
