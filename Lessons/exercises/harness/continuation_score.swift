// The harness `lmlab exercise check continuation_score` compiles with your file and harness/wire.swift.
labServe { t in continuationLogProb(ids: t.ints(0), logProbs: t.matrix(1)) }
