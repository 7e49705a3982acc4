// Exercise bigram_counter (lesson 4): count bigrams.
// 练习 bigram_counter（第 4 课）：统计二元组。
//
// Each sentence is a list of tokens. Pad it with "<s>" in front and "</s>"
// at the end, then count every pair of neighbours: for ["the", "cat"] the
// pairs are (<s>, the), (the, cat), (cat, </s>). Return
// counts[first][second] = how many times `second` followed `first` in all
// sentences.
//
// 每个句子是一串词元。在前面补上 "<s>"、末尾补上 "</s>"，然后统计每一对相邻
// 的词元：["the", "cat"] 的词对是 (<s>, the)、(the, cat)、(cat, </s>)。返回
// counts[first][second]：在所有句子里 `second` 紧跟在 `first` 后面的次数。
//
// Check your work with / 检查：    lmlab exercise check bigram_counter
// Stuck? / 卡住了：                lmlab exercise hint bigram_counter
// Leave this running / 边改边查：  lmlab exercise watch bigram_counter
import Foundation

func countBigrams(_ sentences: [[String]]) -> [String: [String: Int]] {
    var counts: [String: [String: Int]] = [:]
    // TODO: for every sentence, pad it and add 1 to counts[a][b] for each
    // neighbouring pair (a, b).
    // 待办：每个句子先补齐，每一对相邻的 (a, b) 都让 counts[a][b] 加 1。
    return counts
}
