// Edge cases of the download path: a server that ignores Range, the token kept away from the CDN host, the
// environment rules shared with huggingface_hub (cache folder, endpoint, token), URL encoding, the progress text.

import Foundation
import LabCore
import Testing
@testable import Hub

@Suite struct DownloadEdgeTests {
    /// After a drop, a server without Range support answers 200 with the whole file: the partial file is
    /// truncated and rewritten from byte 0, and the result still hashes right.
    @Test func serverIgnoringRangeRestartsFromZero() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        fx.hub.ignoresRange = true
        fx.hub.dropAfter["model.safetensors"] = (120_000, 1)
        let log = EventLog()
        try fx.downloader().download(repo: fx.hub.repo, onEvent: log.add)
        let gets = fx.cdnGets("model.safetensors")
        #expect(gets.map { $0.headers["range"] ?? "none" } == ["none", "bytes=120000-"])
        #expect(try fx.blobBytes(fx.hub.files["model.safetensors"]!.sha256) == fx.weights)
        // Progress went back to the start of the file once, when the 200 replaced the expected 206.
        let received = log.events.compactMap { e -> Int64? in
            if case .progress("model.safetensors", let r, _) = e { return r } else { return nil }
        }
        let drops = zip(received, received.dropFirst()).filter { $1 < $0 }
        print("progress samples: \(received.count), fell back: \(drops)")
        #expect(drops.count == 1 && drops[0].0 == 120_000)
    }

    /// LFS files redirect to another host (127.0.0.2 here, like the Hub's CDN): the Bearer token goes to the Hub's
    /// API and /resolve, never to the CDN.
    @Test func tokenNeverReachesTheCDNHost() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let cdn = LoopbackHub(repo: fx.hub.repo)
        cdn.host = "127.0.0.2"
        for (name, f) in fx.hub.files { cdn.add(name, f.bytes, lfs: f.lfs) }
        try cdn.start()
        defer { cdn.stop() }
        fx.hub.cdn = cdn
        fx.hub.requiredToken = "hf_secret"

        try fx.downloader(token: "hf_secret").download(repo: fx.hub.repo)
        #expect(try fx.blobBytes(fx.hub.files["model.safetensors"]!.sha256) == fx.weights)
        let cdnRequests = cdn.requests
        print("CDN requests: \(cdnRequests.map(\.path)); with Authorization: \(cdnRequests.filter { $0.headers["authorization"] != nil }.count)")
        #expect(cdnRequests.count == 2)                                  // model.safetensors, tokenizer.model
        #expect(cdnRequests.allSatisfy { $0.headers["authorization"] == nil })
        #expect(fx.hub.requests.allSatisfy { $0.headers["authorization"] == "Bearer hf_secret" })
    }

    /// Files over `chunkSize` come as consecutive closed ranges; a drop inside a chunk resumes at the exact byte.
    @Test func largeFilesComeInClosedRangesAndResumeInsideAChunk() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        fx.hub.dropAfter["model.safetensors"] = (30_000, 1)
        let downloader = fx.downloader()
        downloader.chunkSize = 64_000
        try downloader.download(repo: fx.hub.repo)
        let ranges = fx.cdnGets("model.safetensors").map { $0.headers["range"] ?? "none" }
        print("ranges asked: \(ranges)")
        #expect(ranges == ["bytes=0-63999", "bytes=30000-93999", "bytes=94000-157999", "bytes=158000-221999",
                           "bytes=222000-285999", "bytes=286000-299999"])
        #expect(try fx.blobBytes(fx.hub.files["model.safetensors"]!.sha256) == fx.weights)
        // tokenizer.model (5,000 bytes) is under the chunk size: one open request.
        #expect(fx.cdnGets("tokenizer.model").map { $0.headers["range"] ?? "none" } == ["none"])
    }

    /// The API answers but the CDN host refuses connections: retried, then reported as unreachable, naming the
    /// CDN host (not the endpoint) and the offline alternative.
    @Test func unreachableCDNIsNamed() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let cdn = LoopbackHub(repo: fx.hub.repo)
        cdn.host = "127.0.0.2"
        try cdn.start()
        cdn.stop()                                 // its port is now closed
        fx.hub.cdn = cdn
        let log = EventLog()
        #expect { try fx.downloader(maxRetries: 1).download(repo: fx.hub.repo, onEvent: log.add) } throws: { error in
            guard let e = error as? HubError, case .unreachable(let origin, _, _) = e else { print("unexpected: \(error)"); return false }
            print(e.description)
            return origin == "http://127.0.0.2:\(cdn.port)" && e.description.contains("huggingface-cli download")
        }
        #expect(log.retries.count == 1)
    }

    /// While another process (here: this test) holds huggingface_hub's lock on a blob, the downloader waits and
    /// writes nothing to that blob; once the lock is released it fetches it.
    @Test func blobLockMakesASecondWriterWait() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let sha = fx.hub.files["model.safetensors"]!.sha256
        let holder = try FileLock(fx.cache.lockFile(fx.hub.repo, sha))
        #expect(fx.cache.lockFile(fx.hub.repo, sha).path.hasSuffix(".locks/models--lab--tiny-test/\(sha).lock"))
        let finished = DispatchSemaphore(value: 0)
        let outcome = EventLog()
        Thread {
            do { try fx.downloader().download(repo: fx.hub.repo, onEvent: outcome.add) } catch { print("download failed: \(error)") }
            finished.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(fx.cdnGets("model.safetensors").isEmpty)
        #expect(!FileManager.default.fileExists(atPath: fx.cache.incompleteBlob(fx.hub.repo, sha).path))
        holder.release()
        #expect(finished.wait(timeout: .now() + 20) == .success)
        #expect(try fx.blobBytes(sha) == fx.weights)
    }

    /// huggingface_hub's constants.py order for the cache folder.
    @Test func cacheFolderFollowsHuggingFaceHubRules() {
        let home = ["HOME": "/home/u"]
        #expect(HubCache.defaultRoot(environment: home).path == "/home/u/.cache/huggingface/hub")
        #expect(HubCache.defaultRoot(environment: home.merging(["XDG_CACHE_HOME": "/x"]) { $1 }).path == "/x/huggingface/hub")
        #expect(HubCache.defaultRoot(environment: home.merging(["HF_HOME": "/h", "XDG_CACHE_HOME": "/x"]) { $1 }).path == "/h/hub")
        #expect(HubCache.defaultRoot(environment: home.merging(["HF_HUB_CACHE": "~/c", "HF_HOME": "/h"]) { $1 }).path == "/home/u/c")
        #expect(HubCache.defaultRoot(environment: home.merging(["HUGGINGFACE_HUB_CACHE": "/old", "HF_HOME": "/h"]) { $1 }).path == "/old")
        #expect(HubCache.repoFolderName("baidu/ERNIE-4.5-0.3B-PT") == "models--baidu--ERNIE-4.5-0.3B-PT")
        #expect(HubCache.isCommitHash("0123456789abcdef0123456789abcdef01234567"))
        #expect(!HubCache.isCommitHash("main"))
    }

    @Test func endpointAndTokenFromTheEnvironment() throws {
        #expect(HubEndpoint.fromEnvironment([:]).url.absoluteString == "https://huggingface.co")
        #expect(HubEndpoint.fromEnvironment(["HF_ENDPOINT": "http://127.0.0.1:9/"]).url.absoluteString == "http://127.0.0.1:9")
        #expect(HubEndpoint.fromEnvironment(["HF_ENDPOINT": "http://127.0.0.1:9"], override: "http://127.0.0.1:8")
                .url.absoluteString == "http://127.0.0.1:8")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("hf_from_file\n".utf8).write(to: dir.appendingPathComponent("token"))
        #expect(HubEndpoint.token(environment: ["HF_HOME": dir.path]) == "hf_from_file")
        #expect(HubEndpoint.token(environment: ["HF_HOME": dir.path, "HF_TOKEN": "hf_env"]) == "hf_env")
        #expect(HubEndpoint.token(environment: ["HF_HOME": dir.path + "/none", "HOME": dir.path + "/none"]) == nil)
        // A ~ in HF_HOME means HOME, as for the cache the download writes (it was read as a folder named "~").
        let home = dir.deletingLastPathComponent().path, below = dir.lastPathComponent
        #expect(HubEndpoint.token(environment: ["HF_HOME": "~/" + below, "HOME": home]) == "hf_from_file")
        #expect(HubEndpoint.token(environment: ["XDG_CACHE_HOME": dir.path + "/none", "HOME": home]) == nil)
    }

    /// The revision is one path segment ("refs/pr/1" → refs%2Fpr%2F1), as huggingface_hub quotes it with safe="".
    @Test func urlsEncodeRevisionAndFileNames() {
        let client = HubClient(endpoint: HubEndpoint(url: URL(string: "https://huggingface.co/")!))
        #expect(client.infoURL(repo: "baidu/ERNIE-4.5-0.3B-PT", revision: "refs/pr/1").absoluteString
                == "https://huggingface.co/api/models/baidu/ERNIE-4.5-0.3B-PT/revision/refs%2Fpr%2F1?blobs=true")
        #expect(client.resolveURL(repo: "o/r", revision: "main", file: "sub dir/a+b.json").absoluteString
                == "https://huggingface.co/o/r/resolve/main/sub%20dir/a%2Bb.json")
        #expect(Downloader.rangeStart("bytes 100000-299999/300000") == 100_000)
        #expect(Downloader.rangeStart("bytes */300000") == nil)
    }

    /// Speed counts only this run's bytes (a resume does not inflate it); ETA = bytes left ÷ speed.
    @Test func progressTextShowsBytesSpeedAndETA() {
        var m = TransferMeter(file: "model.safetensors", total: 721_500_000, initial: 100_000_000, startTime: 10)
        m.update(received: 312_000_000, at: 30)        // 212 MB in 20 s = 10.6 MB/s; 409.5 MB left → 38.6 s
        #expect(m.bytesPerSecond == 10_600_000)
        #expect(m.line(barWidth: 10) == "model.safetensors  ████░░░░░░   43%  312.0 MB / 721.5 MB  10.6 MB/s  ETA 0:39")
        #expect(TrainingMeter.clockText(3_725) == "1:02:05")
        #expect(ByteCount.format(742) == "742 B")
        #expect(ByteCount.format(23_133) == "23.1 kB")
        #expect(ByteCount.format(721_496_064) == "721.5 MB")
        var unknown = TransferMeter(file: "x", total: nil, initial: 0, startTime: 0)
        unknown.update(received: 1_500, at: 0)
        #expect(unknown.line() == "x  1.5 kB  –/s")
    }
}
