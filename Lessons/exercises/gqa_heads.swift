// Exercise gqa_heads (lesson 8): grouped-query attention: which K/V head.
// 练习 gqa_heads（第 8 课）：分组查询注意力：用哪个 K/V 头。
//
// With grouped-query attention there are fewer key/value heads than query
// heads (ERNIE-4.5-0.3B: 16 and 2). Return, for every query head h in
// 0..<heads, the key/value head it reads. Consecutive query heads share
// one: heads / keyValueHeads of them per group (heads is a multiple of
// keyValueHeads).
//
// 分组查询注意力里，键/值头比查询头少（ERNIE-4.5-0.3B：16 个和 2 个）。对
// 0..<heads 中的每个查询头 h，返回它读取的键/值头。相邻的查询头共用一个：
// 每组 heads / keyValueHeads 个（heads 是 keyValueHeads 的倍数）。
//
// Check your work with / 检查：    lmlab exercise check gqa_heads
// Stuck? / 卡住了：                lmlab exercise hint gqa_heads
// Leave this running / 边改边查：  lmlab exercise watch gqa_heads
import Foundation

func keyValueHeads(queryHeads heads: Int, keyValueHeads: Int) -> [Int] {
    // TODO: this interleaves the groups; consecutive query heads should
    // share a K/V head.
    // 待办：这里把各组交错排开了；相邻的查询头应当共用一个 K/V 头。
    return (0..<heads).map { $0 % keyValueHeads }
}
