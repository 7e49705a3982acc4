// Entropy — how spread out a next-token distribution is, the number lesson 3 reads beside the bars.
//
//   H(p) = −Σ_i p_i ln p_i   (nats; tokens with p_i = 0 add nothing, as lim p→0 of p ln p = 0)
//
// H = 0 when one token has all the mass (greedy), H = ln V for the uniform distribution over V tokens. Temperature
// T < 1, top-k, top-p and min-p all lower it; T > 1 raises it. Shannon (1948), "A mathematical theory of
// communication", §6.

import Foundation

/// H(p) = −Σ p ln p in nats over the tokens with p > 0, summed in Double.
public func entropy(_ p: [Float]) -> Double {
    p.reduce(0.0) { $1 > 0 ? $0 - Double($1) * Foundation.log(Double($1)) : $0 }
}
