// Exercise analogy (lesson 5): analogies by 3CosAdd.
//
// a : b :: c : ?  — `vectors[w]` is word w's embedding. 3CosAdd answers the word whose vector has the largest
// cosine with b̂ − â + ĉ (x̂ = x / |x|, every vector normalised first), never a, b or c themselves.
//
// Check your work with:   lmlab exercise check analogy
// Stuck?                  lmlab exercise hint analogy
// Leave this running:     lmlab exercise watch analogy
import Foundation

func analogy(a: Int, b: Int, c: Int, vectors: [[Double]]) -> Int {
    // TODO: build b̂ − â + ĉ and find the closest other word by cosine.
    return c
}
