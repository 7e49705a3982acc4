// Exercise analogy (lesson 5): analogies by 3CosAdd.
// 练习 analogy（第 5 课）：用 3CosAdd 做类比。
//
// a : b :: c : ?  — `vectors[w]` is word w's embedding. 3CosAdd answers the
// word whose vector has the largest cosine with b̂ − â + ĉ (x̂ = x / |x|,
// every vector normalised first), never a, b or c themselves.
//
// a 之于 b，如同 c 之于 ?——`vectors[w]` 是词 w 的嵌入。3CosAdd 的答案是向量
// 与 b̂ − â + ĉ 余弦最大的那个词（x̂ = x / |x|，每个向量先归一化），但绝不是
// a、b、c 本身。
//
// Check your work with / 检查：    lmlab exercise check analogy
// Stuck? / 卡住了：                lmlab exercise hint analogy
// Leave this running / 边改边查：  lmlab exercise watch analogy
import Foundation

func analogy(a: Int, b: Int, c: Int, vectors: [[Double]]) -> Int {
    // TODO: build b̂ − â + ĉ and find the closest other word by cosine.
    // 待办：构造 b̂ − â + ĉ，再按余弦找出最接近它的其他词。
    return c
}
