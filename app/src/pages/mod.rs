//! Routes. Pages own data loading; components below them only take props.

pub mod coverage;
