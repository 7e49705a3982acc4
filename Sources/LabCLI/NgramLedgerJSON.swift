// NgramLedgerJSON — `lmlab ngram prob --json`: the n-gram ledger (Decoding's SentenceScore with its history and
// counts) in the keys the command has always printed:
//
//   {"rows": [{"context": ["<s>"], "token": "the", "probability": 1, "logProbability": 0, "count": 2,
//              "contextCount": 2}, …],
//    "logProbability": -3.2, "perplexity": 1.9}
// JSON has no −∞: a zero probability leaves "logProbability" out of its row, and out of the total with it
// (and "perplexity", which is then infinite).
import Decoding

struct NGramLedgerJSON: Encodable {
    struct Row: Encodable {
        let context: [String]
        let token: String
        let probability: Double
        let logProbability: Double?
        let count: Int
        let contextCount: Int
    }

    let rows: [Row]
    let logProbability: Double?
    let perplexity: Double?

    init(_ ledger: SentenceScore) {
        rows = ledger.entries.map { e in
            Row(context: e.context ?? [], token: e.piece, probability: e.probability ?? 0,
                logProbability: e.logProb.flatMap { $0.isFinite ? $0 : nil },
                count: e.counts?.word ?? 0, contextCount: e.counts?.context ?? 0)
        }
        logProbability = ledger.totalLogProb.isFinite ? ledger.totalLogProb : nil
        perplexity = ledger.perplexity.isFinite ? ledger.perplexity : nil
    }
}
