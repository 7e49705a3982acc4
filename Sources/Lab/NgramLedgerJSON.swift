// NgramLedgerJSON — `lmlab ngram prob --json`: the n-gram ledger (Decoding's SentenceScore with its history and
// counts) in the keys the command has always printed:
//
//   {"rows": [{"context": ["<s>"], "token": "the", "probability": 1, "logProbability": 0, "count": 2,
//              "contextCount": 2}, …],
//    "logProbability": -3.2, "perplexity": 1.9}
// JSON has no −∞: a zero probability leaves "logProbability" out of its row, and out of the total with it
// (and "perplexity", which is then infinite).
import Decoding

public struct NGramLedgerJSON: Encodable {
    public struct Row: Encodable {
        public let context: [String]
        public let token: String
        public let probability: Double
        public let logProbability: Double?
        public let count: Int
        public let contextCount: Int
    }

    public let rows: [Row]
    public let logProbability: Double?
    public let perplexity: Double?

    public init(_ ledger: SentenceScore) {
        rows = ledger.entries.map { e in
            Row(context: e.context ?? [], token: e.piece, probability: e.probability ?? 0,
                logProbability: e.logProb.flatMap { $0.isFinite ? $0 : nil },
                count: e.counts?.word ?? 0, contextCount: e.counts?.context ?? 0)
        }
        logProbability = ledger.totalLogProb.isFinite ? ledger.totalLogProb : nil
        perplexity = ledger.perplexity.isFinite ? ledger.perplexity : nil
    }
}
