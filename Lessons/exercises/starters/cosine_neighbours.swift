// Exercise cosine_neighbours (lesson 5): nearest neighbours by cosine.
// 练习 cosine_neighbours（第 5 课）：按余弦找最近邻。
//
// Return the ids (indices into `vectors`) of the k vectors most similar to
// `query` by cosine similarity, cos(q, v) = (q·v) / (|q| |v|), most similar
// first; on equal cosines the lower id comes first.
//
// 按余弦相似度 cos(q, v) = (q·v) / (|q| |v|)，返回与 `query` 最相似的 k 个
// 向量的编号（即 `vectors` 的下标），最相似的在前；余弦相等时编号小的在前。
//
// Check your work with / 检查：    lmlab exercise check cosine_neighbours
// Stuck? / 卡住了：                lmlab exercise hint cosine_neighbours
// Leave this running / 边改边查：  lmlab exercise watch cosine_neighbours
import Foundation

func nearest(to query: [Double], in vectors: [[Double]], k: Int) -> [Int] {
    // TODO: rank every vector by its cosine with the query.
    // 待办：按与查询向量的余弦给每个向量排序。
    return Array(vectors.indices.prefix(k))
}
