//! One run's published margins as a linear system, and which hidden cells it determines. Arithmetic is exact, in
//! the prime field GF(2⁶¹ − 1): the equations have coefficients 0 and ±1, so nothing overflows and nothing is
//! rounded (a rank that differs from the rational one would need the prime to divide a minor of a small 0/±1
//! matrix). The audit in `audit.rs` checks the result again with rational arithmetic.

/// The Mersenne prime 2⁶¹ − 1.
const P: u64 = (1 << 61) - 1;

fn reduce(x: u128) -> u64 {
    let folded = u128::from(x as u64 & P) + (x >> 61);
    let mut r = (folded as u64 & P) + (folded >> 61) as u64;
    if r >= P {
        r -= P;
    }
    r
}

fn mul(a: u64, b: u64) -> u64 {
    reduce(u128::from(a) * u128::from(b))
}

fn sub(a: u64, b: u64) -> u64 {
    if a >= b { a - b } else { a + P - b }
}

fn inverse(a: u64) -> u64 {
    // Fermat: a^(P−2).
    let (mut base, mut exp, mut out) = (a, P - 2, 1u64);
    while exp > 0 {
        if exp & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        exp >>= 1;
    }
    out
}

fn element(c: i64) -> u64 {
    let m = c.unsigned_abs() % P;
    if c < 0 { sub(0, m) } else { m }
}

/// A hidden cell the equations determine, and the published cells its derivation uses (hiding any one of them
/// breaks this derivation; another may remain, so the caller checks again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Derivation {
    pub secret: usize,
    /// The known variables with their coefficient: `secret + Σ coefficient × variable = 0`.
    pub known: Vec<(usize, u64)>,
}

impl Derivation {
    /// The value the derivation gives the secret, from the known variables' values, when its coefficients are
    /// small integers (always, for margins of 0/±1 coefficients in practice); `None` otherwise.
    pub fn value(&self, value_of: impl Fn(usize) -> f64) -> Option<f64> {
        const SMALL: u64 = 1 << 20;
        let mut sum = 0.0;
        for &(v, c) in &self.known {
            let c = if c <= SMALL {
                c as f64
            } else if c >= P - SMALL {
                -((P - c) as f64)
            } else {
                return None;
            };
            sum -= c * value_of(v);
        }
        Some(sum)
    }
}

/// The secrets (variables) that `equations` (each `Σ coefficient × variable = 0`) determine when the variables
/// marked `unknown` are unknown and all others are known. A secret is determined iff the unit vector on it lies in
/// the row space of the equations restricted to the unknowns: in reduced row echelon form, its column is a pivot
/// whose row is zero on every other unknown. Only equations that hold an unknown take part, so the matrix is the
/// size of the hidden part of one run, never of the table.
pub(super) fn derivable(equations: &[Vec<(usize, i64)>], unknown: &[bool], secrets: &[usize]) -> Vec<Derivation> {
    let touching: Vec<&Vec<(usize, i64)>> = equations.iter().filter(|e| e.iter().any(|&(v, _)| unknown[v])).collect();
    if touching.is_empty() || secrets.is_empty() {
        return Vec::new();
    }
    // Columns: the unknowns first, then the known variables these equations name.
    let mut column = vec![usize::MAX; unknown.len()];
    let mut variables: Vec<usize> = Vec::new();
    for pass_unknown in [true, false] {
        for e in &touching {
            for &(v, _) in *e {
                if unknown[v] == pass_unknown && column[v] == usize::MAX {
                    column[v] = variables.len();
                    variables.push(v);
                }
            }
        }
    }
    let unknowns = variables.iter().take_while(|&&v| unknown[v]).count();
    let width = variables.len();
    let mut m: Vec<Vec<u64>> = touching
        .iter()
        .map(|e| {
            let mut row = vec![0u64; width];
            for &(v, c) in *e {
                let j = column[v];
                row[j] = (row[j] + element(c)) % P;
            }
            row
        })
        .collect();
    let mut pivot_row = vec![usize::MAX; unknowns];
    let mut rank = 0;
    for col in 0..unknowns {
        let Some(r) = (rank..m.len()).find(|&r| m[r][col] != 0) else { continue };
        m.swap(rank, r);
        let inv = inverse(m[rank][col]);
        for x in &mut m[rank] {
            *x = mul(*x, inv);
        }
        let pivot = m[rank].clone();
        for (i, row) in m.iter_mut().enumerate() {
            let factor = row[col];
            if i != rank && factor != 0 {
                for (x, p) in row.iter_mut().zip(&pivot) {
                    if *p != 0 {
                        *x = sub(*x, mul(factor, *p));
                    }
                }
            }
        }
        pivot_row[col] = rank;
        rank += 1;
    }
    let mut out = Vec::new();
    for &secret in secrets {
        let col = column[secret];
        if col >= unknowns || pivot_row[col] == usize::MAX {
            continue;
        }
        let row = &m[pivot_row[col]];
        if (0..unknowns).any(|j| j != col && row[j] != 0) {
            continue;
        }
        let known = (unknowns..width).filter(|&j| row[j] != 0).map(|j| (variables[j], row[j])).collect();
        out.push(Derivation { secret, known });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_arithmetic_inverts() {
        for a in [1u64, 2, 3, 12_345, P - 1] {
            assert_eq!(mul(a, inverse(a)), 1);
        }
        assert_eq!(element(-1), P - 1);
        assert_eq!(reduce(u128::from(P) * u128::from(P)), 0);
    }

    #[test]
    fn one_hidden_part_of_a_published_total_is_determined() {
        // t = a + b + c, with a hidden: a = t − b − c.
        let eq = vec![vec![(0, 1), (1, -1), (2, -1), (3, -1)]];
        let d = derivable(&eq, &[false, true, false, false], &[1]);
        assert_eq!(d, vec![Derivation { secret: 1, known: vec![(0, P - 1), (2, 1), (3, 1)] }]);
        // a = t − b − c: 100 − 70 − 20.
        assert_eq!(d[0].value(|v| [100.0, 0.0, 70.0, 20.0][v]), Some(10.0));
        // With b hidden too, neither is.
        assert!(derivable(&eq, &[false, true, true, false], &[1, 2]).is_empty());
    }

    #[test]
    fn two_margins_can_pin_a_cell_that_each_alone_cannot() {
        // A 2 × 2 table with its row and column totals: hiding a and b (one row) leaves them determined by the
        // column equations; hiding the four inner cells leaves none determined.
        // Variables: a b / c d, rows r1 r2, columns k1 k2.
        let (a, b, c, d, r1, r2, k1, k2) = (0, 1, 2, 3, 4, 5, 6, 7);
        let eq = vec![
            vec![(r1, 1), (a, -1), (b, -1)],
            vec![(r2, 1), (c, -1), (d, -1)],
            vec![(k1, 1), (a, -1), (c, -1)],
            vec![(k2, 1), (b, -1), (d, -1)],
        ];
        let mut unknown = vec![false; 8];
        unknown[a] = true;
        unknown[b] = true;
        assert_eq!(derivable(&eq, &unknown, &[a, b]).len(), 2);
        unknown[c] = true;
        unknown[d] = true;
        assert!(derivable(&eq, &unknown, &[a, b, c, d]).is_empty());
    }
}
