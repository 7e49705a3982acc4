// A hostile mirror on loopback (issue #17), bodies and sizes: a copy shorter than listed (which once looped forever:
// 40,983 `Range: bytes=1000-` requests in 150 s), empty answers, answers longer than asked, a Range answered from
// the wrong byte, negative and absurd listed sizes. Each ends after at most maxRetries retries, with doubling pauses
// (recorded, not slept), in an error naming the file and the expected and received sizes.

import Foundation
import Testing
@testable import Hub

@Suite struct HostileMirrorBodyTests {
    /// A mirror whose copy is shorter than its listing: the first answer ends early, every resume (`Range: bytes=N-`)
    /// brings nothing. Retried maxRetries times with doubling pauses, then an error with both sizes and the fix;
    /// what arrived stays for a later resume, no blob is published.
    @Test func aShortBodyEndsAfterBoundedRetriesWithBackoff() throws {
        for (file, cut) in [("config.json", 20), ("model.safetensors", 1_000)] {
            try inSandbox { box, fx in
                fx.hub.shortBy[file] = cut
                let downloader = fx.downloader(maxRetries: 3)
                let pauses = Pauses()
                downloader.pause = { pauses.add($0) }
                let log = EventLog()
                let (error, elapsed) = outcome {
                    try downloader.download(repo: fx.hub.repo, selection: FileSelection(required: [file]), onEvent: log.add)
                }
                let size = Int64(fx.hub.files[file]!.bytes.count)
                let gets = fx.byteGets(file)
                print("\(file): \(gets.map { $0.headers["range"] ?? "none" }); retries: \(log.retries)")
                guard case .wrongLength(file, let source, size, let received, 4)? = error else {
                    Issue.record("\(file): \(String(describing: error))"); return
                }
                print(error!.description)
                #expect(received == size - Int64(cut))
                #expect(source == "http://127.0.0.1:\(fx.hub.port)")
                #expect(error!.description.contains("lists \(size) bytes but sent only \(size - Int64(cut))"))
                #expect(error!.description.contains("HF_ENDPOINT"))
                #expect(pauses.values == [0.01, 0.02, 0.04], "exponential backoff")
                #expect(gets.count == 4, "one answer and three retries, no more")
                #expect(gets.dropFirst().allSatisfy { $0.headers["range"] == "bytes=\(size - Int64(cut))-" })
                let blobName = fx.hub.files[file]!.lfs ? fx.hub.files[file]!.sha256 : fx.hub.files[file]!.blobId
                #expect(!FileManager.default.fileExists(atPath: fx.cache.blob(fx.hub.repo, blobName).path))
                #expect(Downloader.fileSize(fx.cache.incompleteBlob(fx.hub.repo, blobName)) == size - Int64(cut))
                #expect(elapsed < .seconds(30))
            }
        }
    }

    /// Empty 200 answers: no progress at all, the same bound.
    @Test func anEmptyBodyEndsAfterBoundedRetries() throws {
        try inSandbox { box, fx in
            let size = fx.hub.files["tokenizer.model"]!.bytes.count
            fx.hub.shortBy["tokenizer.model"] = size
            let downloader = fx.downloader(maxRetries: 2)
            let pauses = Pauses()
            downloader.pause = { pauses.add($0) }
            let (error, elapsed) = outcome {
                try downloader.download(repo: fx.hub.repo, selection: FileSelection(required: ["tokenizer.model"]))
            }
            guard case .wrongLength("tokenizer.model", _, Int64(size), 0, 3)? = error else {
                Issue.record("\(String(describing: error))"); return
            }
            print(error!.description)
            #expect(fx.byteGets("tokenizer.model").count == 3)
            #expect(pauses.values == [0.01, 0.02])
            #expect(elapsed < .seconds(30))
        }
    }

    /// More bytes than listed (a 200 or a 206 that runs on): nothing past the bytes asked for is written, the
    /// answer's bytes are dropped, and after the retries the error says the mirror sends more than it lists.
    @Test func anOversizedBodyIsCutAndRefused() throws {
        for (file, extra) in [("config.json", 10), ("tokenizer.model", 2_000_000)] {
            try inSandbox { box, fx in
                fx.hub.extraBytes[file] = extra
                let downloader = fx.downloader(maxRetries: 2)
                downloader.pause = { _ in }
                let (error, elapsed) = outcome {
                    try downloader.download(repo: fx.hub.repo, selection: FileSelection(required: [file]))
                }
                let size = Int64(fx.hub.files[file]!.bytes.count)
                guard case .wrongLength(file, _, size, let received, 3)? = error else {
                    Issue.record("\(file): \(String(describing: error))"); return
                }
                print(error!.description)
                #expect(received > size && error!.description.contains("sent more bytes than the \(size)"))
                #expect(fx.byteGets(file).count == 3)
                let blobName = fx.hub.files[file]!.lfs ? fx.hub.files[file]!.sha256 : fx.hub.files[file]!.blobId
                #expect(Downloader.fileSize(fx.cache.incompleteBlob(fx.hub.repo, blobName)) == 0, "its bytes were dropped")
                #expect(!FileManager.default.fileExists(atPath: fx.cache.blob(fx.hub.repo, blobName).path))
                #expect(elapsed < .seconds(30))
            }
        }
    }

    /// A resume answered 206 from byte 0 instead of the byte asked for: never appended; retried, then refused.
    @Test func aRangeAnsweredFromTheWrongByteIsRefused() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        fx.hub.dropAfter["model.safetensors"] = (100_000, 1)
        fx.hub.rangeFromZero = true
        let downloader = fx.downloader(maxRetries: 3)
        downloader.pause = { _ in }
        let (error, elapsed) = outcome {
            try downloader.download(repo: fx.hub.repo, selection: FileSelection(required: ["model.safetensors"]))
        }
        guard case .badResponse(let url, let problem)? = error else { Issue.record("\(String(describing: error))"); return }
        print(error!.description)
        #expect(url.hasSuffix("/resolve/\(fx.hub.commit)/model.safetensors"))
        #expect(problem.contains("asked for bytes from 100000, got Content-Range \"bytes 0-299999/300000\""))
        #expect(fx.cdnGets("model.safetensors").count == 4)
        let sha = fx.hub.files["model.safetensors"]!.sha256
        #expect(Downloader.fileSize(fx.cache.incompleteBlob(fx.hub.repo, sha)) == 100_000, "nothing appended")
        #expect(elapsed < .seconds(30))
    }

    /// A size that is negative, fractional, not a number or absurd (over 1 TiB) stops the download at the listing.
    @Test func aNegativeOrAbsurdListedSizeIsRefusedBeforeDownloading() throws {
        let cases: [(String, String, @Sendable (inout [String: Any]) -> Void)] = [
            ("config.json", "is -5", { $0["size"] = -5 }),
            ("config.json", "is 1.5", { $0["size"] = 1.5 }),
            ("config.json", "is not a number", { $0["size"] = "70" }),
            ("model.safetensors", "is 1000000000000000", { $0["lfs"] = ["sha256": String(repeating: "a", count: 64),
                                                                        "size": 1_000_000_000_000_000] }),
            ("model.safetensors", "is -1", { $0["lfs"] = ["sha256": String(repeating: "a", count: 64), "size": -1] }),
        ]
        for (file, found, edit) in cases {
            try inSandbox { box, fx in
                fx.hub.tamperSibling(file, edit)
                let (error, _) = outcome { try fx.downloader().download(repo: fx.hub.repo) }
                guard case .badResponse(_, let problem)? = error else {
                    Issue.record("\(file) \(found): \(String(describing: error))"); return
                }
                print(problem)
                #expect(problem.contains("of \"\(file)\" \(found)"))
                #expect(fx.hub.requests.count == 1, "the listing only")
                #expect(!FileManager.default.fileExists(atPath: box.cache.path))
            }
        }
    }

    @Test func backoffDoublesUpToItsCap() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let d = fx.downloader()
        d.retryDelay = 0.5
        #expect((1...8).map(d.backoff) == [0.5, 1, 2, 4, 8, 16, 30, 30])
    }
}
