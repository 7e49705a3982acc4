// Entropy — how spread out a next-token distribution is, in nats (Shannon 1948):
//
//   H(p) = −Σᵢ pᵢ ln pᵢ        over the tokens with pᵢ > 0 (0 · ln 0 = 0)
//
// 0 when one token has all the mass; ln V when all V tokens are equally likely; e^H is the number of equally likely
// tokens with the same spread. The sampling explorer and `sample --show-dist` show it for the model's distribution
// and for the processed one (temperature < 1 lowers it, top-k/top-p cut it).

import Foundation

/// H(p) = −Σ pᵢ ln pᵢ in nats over the entries with pᵢ > 0, summed in Double.
public func entropy(_ p: [Float]) -> Double {
    p.reduce(0.0) { $1 > 0 ? $0 - Double($1) * Foundation.log(Double($1)) : $0 }
}
