// Word2VecTraining — the training loop of word2vec: skip-gram or CBOW with negative sampling, frequent-word
// subsampling, a reduced ("dynamic") window, linear learning-rate decay, and 2 threads, all with hand-written SGD
// like the C tool (https://code.google.com/archive/p/word2vec/) — no autograd: the gradient is two lines
// (Word2VecKernels.swift).
//
// For each epoch and each sentence (windows never cross a sentence, as in gensim):
//   1. subsample: drop each occurrence of word w with probability 1 − P(keep w) (Word2VecVocabulary);
//   2. for each remaining position i, draw b uniform in 0..<window and use the reduced window r = window − b,
//      so near words are seen more often than far ones (the C tool's `b = next_random % window`);
//   3. skip-gram: for each context position j ≠ i with |i − j| ≤ r, one negative-sampling step with h = v(wⱼ),
//      target w_i and `negative` words drawn from the unigram^0.75 table (a draw equal to the target is skipped,
//      as in the C tool and gensim); then v(wⱼ) += e.
//      CBOW: h = mean of v(wⱼ) over the context, one step with target w_i, then every v(wⱼ) += e (the whole e,
//      not e / count — as the C tool and gensim with cbow_mean do);
//   4. the learning rate falls linearly with the words passed: α(p) = α − (α − α_min) · p, p = words so far /
//      (epochs · words per epoch), set per sentence.
//
// Threads: the text is cut into chunks of ~`chunkWords` words; each round hands one chunk to each thread, and the
// threads update the shared vectors without locks (Hogwild, like the C tool and gensim). Every chunk draws from its
// own SeededRNG seeded by (seed, epoch, chunk), so with 1 thread a seed reproduces a run bit for bit; with 2 threads
// only the interleaving of updates varies. Between rounds the caller hears the progress (loss, words/s, ETA) and
// Ctrl-C is checked: a cancelled run stops there and keeps every vector trained so far.
//
// The loss reported is ℓ averaged over the pairs of every 16th centre position (a fixed sample: −log σ for every
// pair would cost a sizeable share of the run).
import Foundation
import LabCore

/// What a training run did.
public struct Word2VecTrainingReport: Sendable, Codable, Equatable {
    /// Words of the text passed (before subsampling), over all epochs done.
    public var words: Int
    /// Words per epoch (before subsampling).
    public var wordsPerEpoch: Int
    /// Training pairs (centre, context) stepped.
    public var pairs: Int
    public var epochs: Double
    /// Wall-clock seconds of the training loop (vocabulary and encoding not included).
    public var seconds: Double
    /// CPU seconds of the whole process during the loop (all threads): on a busy machine words per CPU second
    /// is steadier than words per wall-clock second.
    public var cpuSeconds: Double
    /// `words / seconds`: raw words per second, the figure gensim logs as "words/s" counts effective words; see
    /// scripts/bench_word2vec.py for the comparison.
    public var wordsPerSecond: Double
    /// Mean sampled loss of the last round.
    public var finalLoss: Double
    /// True when Ctrl-C stopped the run early (the vectors trained so far are kept).
    public var cancelled: Bool
}

extension Word2VecModel {
    /// Trains the vectors on `sentences` (ids from `vocabulary.encode`).
    ///
    /// - Parameter progress: called on the caller's thread after every round with the meter's newest sample.
    /// - Returns: the report; on Ctrl-C `cancelled` is true and the vectors hold what was trained so far.
    @discardableResult
    public func train(on sentences: [[Int32]],
                      progress: ((TrainingSample, TrainingMeter) -> Void)? = nil) -> Word2VecTrainingReport {
        let c = config
        // Chunks: consecutive sentences of ≥ chunkWords words (the last may be shorter), with their word offset.
        var chunks: [(range: Range<Int>, offset: Int, words: Int)] = []
        var start = 0, words = 0, offset = 0
        for (i, s) in sentences.enumerated() {
            words += s.count
            if words >= c.chunkWords || i == sentences.count - 1 {
                chunks.append((start..<(i + 1), offset, words))
                offset += words
                start = i + 1
                words = 0
            }
        }
        let perEpoch = offset
        let threads = max(1, min(c.threads, chunks.count))
        let roundsPerEpoch = (chunks.count + threads - 1) / max(1, threads)
        var meter = TrainingMeter(totalSteps: roundsPerEpoch * c.epochs)
        let clockStart = DispatchTime.now().uptimeNanoseconds
        let cpuStart = processCPUSeconds()
        var report = Word2VecTrainingReport(words: 0, wordsPerEpoch: perEpoch, pairs: 0, epochs: 0, seconds: 0,
                                            cpuSeconds: 0, wordsPerSecond: 0, finalLoss: .nan, cancelled: false)
        guard perEpoch > 0 else { return report }

        // One scratch area per thread: error e [P], hidden h [P], scores, samples, the kept sentence.
        let scratch = (0..<threads).map { _ in Word2VecScratch(padded: padded, negative: c.negative) }
        var results = [ChunkResult](repeating: ChunkResult(), count: threads)
        let total = Double(perEpoch) * Double(c.epochs)
        var step = 0
        training: for epoch in 0..<c.epochs {
            for round in 0..<roundsPerEpoch {
                let first = round * threads
                let count = min(threads, chunks.count - first)
                results.withUnsafeMutableBufferPointer { out in
                    let out = out
                    parallelFor(count, threads: count) { range in
                        for t in range {
                            let chunk = chunks[first + t]
                            out[t] = trainChunk(sentences, chunk.range,
                                                wordsBefore: Double(epoch * perEpoch + chunk.offset), total: total,
                                                seed: Self.chunkSeed(c.seed, epoch: epoch, chunk: first + t),
                                                scratch: scratch[t])
                        }
                    }
                }
                let done = results.prefix(count)
                let roundWords = done.reduce(0) { $0 + $1.words }
                let lossSum = done.reduce(0.0) { $0 + $1.lossSum }, lossPairs = done.reduce(0) { $0 + $1.lossPairs }
                report.words += roundWords
                report.pairs += done.reduce(0) { $0 + $1.pairs }
                step += 1
                let loss = lossPairs > 0 ? lossSum / Double(lossPairs) : .nan
                report.finalLoss = loss
                let sample = meter.record(step: step, loss: loss, tokens: roundWords)
                progress?(sample, meter)
                do { try Cancellation.check() } catch {
                    report.cancelled = true
                    break training
                }
            }
        }
        report.seconds = Double(DispatchTime.now().uptimeNanoseconds - clockStart) / 1e9
        report.cpuSeconds = processCPUSeconds() - cpuStart
        report.epochs = Double(report.words) / Double(perEpoch)
        report.wordsPerSecond = Double(report.words) / max(report.seconds, 1e-9)
        return report
    }

    /// The seed of one chunk's generator: SplitMix-style mixing of (seed, epoch, chunk), so chunks are independent
    /// and the same on every run.
    static func chunkSeed(_ seed: UInt64, epoch: Int, chunk: Int) -> UInt64 {
        var x = seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(epoch) &* 0xBF58_476D_1CE4_E5B9 ^ UInt64(chunk) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x
    }

    /// Trains on sentences `range` (one chunk). `wordsBefore` is the words of all epochs and chunks before this
    /// one, for the learning-rate schedule.
    func trainChunk(_ sentences: [[Int32]], _ range: Range<Int>, wordsBefore: Double, total: Double, seed: UInt64,
                    scratch: Word2VecScratch) -> ChunkResult {
        var rng = SeededRNG(seed: seed)
        var result = ChunkResult()
        let c = config
        let p = padded
        let keep = vocabulary.keepThreshold
        let skipGram = c.architecture == .skipGram
        let (a0, a1) = (c.alpha, c.minAlpha)
        var centre = 0                                 // centre positions seen, for the loss sample
        vocabulary.negativeTable.withUnsafeBufferPointer { table in
        keep.withUnsafeBufferPointer { keep in
            let tableSize = UInt64(table.count)
            let kept = scratch.kept, samples = scratch.samples, e = scratch.error, h = scratch.hidden
            let scores = scratch.scores
            var passed = 0.0
            for s in range {
                let sentence = sentences[s]
                precondition(sentence.count <= scratch.capacity, "sentence longer than Word2VecVocabulary.maxSentenceLength")
                let alpha = Float(a0 - (a0 - a1) * min(1, (wordsBefore + passed) / total))
                passed += Double(sentence.count)
                result.words += sentence.count
                // 1. subsample
                var n = 0
                for w in sentence where (rng.next() >> 32) < keep[Int(w)] { kept[n] = w; n += 1 }
                guard n > 1 else { continue }
                for i in 0..<n {
                    // 2. reduced window r ∈ 1…window
                    let b = Int(((rng.next() >> 32) &* UInt64(c.window)) >> 32)
                    let r = c.window - b
                    let lo = max(0, i - r), hi = min(n - 1, i + r)
                    let target = kept[i]
                    let withLoss = centre & 15 == 0
                    centre += 1
                    // The target first, then negatives; a draw equal to the target is skipped.
                    @inline(__always) func drawSamples() -> Int {
                        samples[0] = target
                        var m = 1
                        for _ in 0..<c.negative {
                            let slot = Int(((rng.next() >> 32) &* tableSize) >> 32)
                            let w = table[slot]
                            if w != target { samples[m] = w; m += 1 }
                        }
                        return m
                    }
                    if skipGram {
                        // 3a. skip-gram: each context word's input vector predicts the centre word
                        for j in lo...hi where j != i {
                            let m = drawSamples()
                            let row = input + Int(kept[j]) * p
                            let l = negativeSamplingStep(h: row, outputs: output, padded: p, samples: samples, count: m,
                                                         alpha: alpha, error: e, scores: scores, computeLoss: withLoss)
                            axpy(1, e, into: row, count: p)
                            result.pairs += 1
                            if withLoss { result.lossSum += Double(l); result.lossPairs += 1 }
                        }
                    } else {
                        // 3b. CBOW: the mean of the context's input vectors predicts the centre word
                        guard hi > lo else { continue }
                        h.initialize(repeating: 0, count: p)
                        for j in lo...hi where j != i { axpy(1, input + Int(kept[j]) * p, into: h, count: p) }
                        let inv = 1 / Float(hi - lo)
                        for k in 0..<p { h[k] *= inv }
                        let m = drawSamples()
                        let l = negativeSamplingStep(h: h, outputs: output, padded: p, samples: samples, count: m,
                                                     alpha: alpha, error: e, scores: scores, computeLoss: withLoss)
                        for j in lo...hi where j != i { axpy(1, e, into: input + Int(kept[j]) * p, count: p) }
                        result.pairs += 1
                        if withLoss { result.lossSum += Double(l); result.lossPairs += 1 }
                    }
                }
            }
        }
        }
        return result
    }
}

/// CPU time of this process (all threads), in seconds.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// What one chunk did (summed into the report per round).
struct ChunkResult: Sendable {
    var words = 0
    var pairs = 0
    var lossSum = 0.0
    var lossPairs = 0
}

/// One thread's working memory, allocated once per run.
final class Word2VecScratch: @unchecked Sendable {
    /// e [P]
    let error: UnsafeMutablePointer<Float>
    /// h [P] (CBOW's context mean)
    let hidden: UnsafeMutablePointer<Float>
    /// scores / gradients, negative + 1 rounded up to 16
    let scores: UnsafeMutablePointer<Float>
    /// target + negatives
    let samples: UnsafeMutablePointer<Int32>
    /// the subsampled sentence
    private(set) var kept: UnsafeMutablePointer<Int32>
    let capacity: Int

    init(padded: Int, negative: Int, maxSentence: Int = Word2VecVocabulary.maxSentenceLength) {
        error = .allocate(capacity: padded)
        hidden = .allocate(capacity: padded)
        let s = (negative + 1 + 15) / 16 * 16
        scores = .allocate(capacity: s)
        scores.initialize(repeating: 0, count: s)
        samples = .allocate(capacity: negative + 1)
        capacity = maxSentence
        kept = .allocate(capacity: maxSentence)
    }

    deinit {
        error.deallocate(); hidden.deallocate(); scores.deallocate(); samples.deallocate(); kept.deallocate()
    }
}
