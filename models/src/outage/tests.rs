//! Tests of outage generation.
