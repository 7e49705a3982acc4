// The downloader end to end against LoopbackHub (127.0.0.1 only): the Hugging Face cache layout, resume with
// Range after a dropped connection, a corrupted payload rejected by SHA-256 and fetched again, 404/401/403 and
// "no network" explained, the free-space check, and a downloaded model found by ModelLocator without flags.

import Foundation
import Testing
import ModelFiles
@testable import Hub

/// A temp HF cache, a loopback Hub with a small repository, and a downloader with short timeouts.
struct HubFixture {
    let hub: LoopbackHub
    let cacheRoot: URL
    let weights: [UInt8]
    let tokenizer: [UInt8]
    let config: [UInt8]

    init(repo: String = "lab/tiny-test", weightBytes: Int = 300_000, cacheRoot: URL? = nil) throws {
        hub = LoopbackHub(repo: repo)
        var rng = SplitMix(seed: 42)
        weights = (0..<weightBytes).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        tokenizer = (0..<5_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        config = Array(#"{"hidden_size": 8, "num_hidden_layers": 1, "torch_dtype": "bfloat16"}"#.utf8)
        hub.add("config.json", config, lfs: false)
        hub.add("model.safetensors", weights, lfs: true)
        hub.add("tokenizer.model", tokenizer, lfs: true)
        hub.add("extra/notes.txt", Array("nested file\n".utf8), lfs: false)
        try hub.start()
        self.cacheRoot = cacheRoot
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-hub-\(UUID().uuidString)")
    }

    func downloader(token: String? = nil, maxRetries: Int = 3, endpoint: URL? = nil,
                    freeSpace: @escaping @Sendable (URL) -> Int64? = { _ in 1 << 40 }) -> Downloader {
        let client = HubClient(endpoint: HubEndpoint(url: endpoint ?? hub.endpoint, token: token), idleTimeout: 5)
        return Downloader(client: client, cache: HubCache(root: cacheRoot), maxRetries: maxRetries, retryDelay: 0.01,
                          freeSpace: freeSpace)
    }

    var cache: HubCache { HubCache(root: cacheRoot) }

    func blobBytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: cache.blob(hub.repo, name))) }

    func cdnGets(_ file: String) -> [LoopbackHub.LoggedRequest] {
        let sha = hub.files[file]!.sha256
        return hub.requests.filter { $0.path == "/cdn/\(sha)" }
    }

    /// The GETs of a file's bytes: /cdn/<sha256> for LFS files, /resolve/<commit>/<file> for the others.
    func byteGets(_ file: String) -> [LoopbackHub.LoggedRequest] {
        if hub.files[file]!.lfs { return cdnGets(file) }
        return hub.requests.filter { $0.path == "/\(hub.repo)/resolve/\(hub.commit)/\(file)" }
    }

    func tearDown() {
        hub.stop()
        try? FileManager.default.removeItem(at: cacheRoot)
    }
}

/// Deterministic bytes for payloads (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

/// Collects events from the downloader's callback (which runs on URLSession's delegate thread).
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [DownloadEvent] = []
    func add(_ e: DownloadEvent) { lock.lock(); items.append(e); lock.unlock() }
    var events: [DownloadEvent] { lock.lock(); defer { lock.unlock() }; return items }
    var retries: [String] {
        events.compactMap { if case .fileRetrying(_, let reason) = $0 { return reason } else { return nil } }
    }
}

@Suite struct DownloadHubTests {
    @Test func fullDownloadWritesTheHuggingFaceCacheLayout() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let log = EventLog()
        let result = try fx.downloader().download(repo: fx.hub.repo, revision: "main", onEvent: log.add)

        let repoFolder = fx.cache.repoFolder(fx.hub.repo)
        #expect(repoFolder.lastPathComponent == "models--lab--tiny-test")
        #expect(result.commit == fx.hub.commit)
        #expect(result.snapshot == fx.cache.snapshotFolder(fx.hub.repo, commit: fx.hub.commit))
        // refs/main holds the commit, exactly (no newline), as huggingface_hub writes it.
        #expect(try String(contentsOf: repoFolder.appendingPathComponent("refs/main"), encoding: .utf8) == fx.hub.commit)

        // LFS files are stored under their sha256, git files under their blob id; snapshots hold relative links.
        let fm = FileManager.default
        for (file, bytes) in [("model.safetensors", fx.weights), ("tokenizer.model", fx.tokenizer), ("config.json", fx.config)] {
            let f = fx.hub.files[file]!
            let blobName = f.lfs ? f.sha256 : f.blobId
            #expect(try fx.blobBytes(blobName) == bytes, "\(file) blob bytes")
            let link = result.snapshot.appendingPathComponent(file).path
            #expect(try fm.destinationOfSymbolicLink(atPath: link) == "../../blobs/\(blobName)")
            #expect(Array(try Data(contentsOf: URL(fileURLWithPath: link))) == bytes)
        }
        let nested = fx.hub.files["extra/notes.txt"]!
        #expect(try fm.destinationOfSymbolicLink(atPath: result.snapshot.appendingPathComponent("extra/notes.txt").path)
                == "../../../blobs/\(nested.blobId)")
        let leftovers = try fm.contentsOfDirectory(atPath: repoFolder.appendingPathComponent("blobs").path)
            .filter { $0.hasSuffix(".incomplete") }
        #expect(leftovers.isEmpty)

        // The LFS file went through the 302 to /cdn; the listing asked for blobs.
        #expect(fx.hub.requests.contains { $0.path.hasPrefix("/api/models/lab/tiny-test/revision/main?blobs=true") })
        #expect(fx.hub.requests.contains { $0.path == "/lab/tiny-test/resolve/\(fx.hub.commit)/model.safetensors" })
        #expect(fx.cdnGets("model.safetensors").count == 1)
        #expect(result.bytesTransferred == Int64(fx.weights.count + fx.tokenizer.count + fx.config.count + 12))

        // Progress reached the full size; both LFS files were verified.
        let lastProgress = log.events.compactMap { e -> Int64? in
            if case .progress("model.safetensors", let r, _) = e { return r } else { return nil }
        }.last
        #expect(lastProgress == Int64(fx.weights.count))
        #expect(log.events.contains(.fileDone(file: "model.safetensors", size: Int64(fx.weights.count), verified: true,
                                              fromCache: false)))

        // A second run transfers nothing: every blob is reused.
        let again = try fx.downloader().download(repo: fx.hub.repo)
        #expect(again.bytesTransferred == 0)
        #expect(fx.cdnGets("model.safetensors").count == 1)
        print("full download: \(result.bytesTransferred) bytes, second run \(again.bytesTransferred) bytes")
    }

    @Test func tokenIsSentAsBearerAndGatedRepoIsExplained() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        fx.hub.requiredToken = "hf_test_token"

        // No token: 401 → "needs authentication … export HF_TOKEN".
        #expect { try fx.downloader().download(repo: fx.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .accessDenied(_, 401, false, _) = e else { return false }
            print(e.description)
            return e.description.contains("HF_TOKEN") && e.description.contains("gated or private")
        }
        // A token without access: 403 GatedRepo → "accept its terms".
        #expect { try fx.downloader(token: "hf_wrong").download(repo: fx.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .accessDenied(_, 403, true, _) = e else { return false }
            return e.description.contains("accept its terms")
        }
        // The right token downloads.
        let result = try fx.downloader(token: "hf_test_token").download(repo: fx.hub.repo)
        #expect(try fx.blobBytes(fx.hub.files["model.safetensors"]!.sha256) == fx.weights)
        #expect(result.files.count == 4)
        #expect(fx.hub.requests.contains { $0.headers["authorization"] == "Bearer hf_test_token" })
    }

    @Test func interruptedDownloadIsResumedWithRange() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let sha = fx.hub.files["model.safetensors"]!.sha256
        let partial = fx.cache.incompleteBlob(fx.hub.repo, sha)

        // 1. The connection drops after 100,000 bytes and no retry is allowed: the run fails, the bytes stay.
        fx.hub.dropAfter["model.safetensors"] = (100_000, 1)
        #expect { try fx.downloader(maxRetries: 0).download(repo: fx.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .interrupted("model.safetensors", 100_000, 300_000, _) = e else {
                print("unexpected: \(error)"); return false
            }
            print(e.description)
            return e.description.contains("resumes")
        }
        #expect(Downloader.fileSize(partial) == 100_000)

        // 2. The next run asks for the rest with Range and completes; the whole file hashes to the LFS sha256.
        let log = EventLog()
        try fx.downloader().download(repo: fx.hub.repo, onEvent: log.add)
        let gets = fx.cdnGets("model.safetensors")
        #expect(gets.count == 2)
        #expect(gets.last?.headers["range"] == "bytes=100000-")
        #expect(log.events.contains(.fileStarted(file: "model.safetensors", size: 300_000, offset: 100_000)))
        #expect(try fx.blobBytes(sha) == fx.weights)
        #expect(!FileManager.default.fileExists(atPath: partial.path))

        // 3. Within one run: two drops (at 50,000 and again 50,000 bytes later) are resumed automatically.
        let fx2 = try HubFixture()
        defer { fx2.tearDown() }
        fx2.hub.dropAfter["model.safetensors"] = (50_000, 2)
        let log2 = EventLog()
        try fx2.downloader(maxRetries: 3).download(repo: fx2.hub.repo, onEvent: log2.add)
        let ranges = fx2.cdnGets("model.safetensors").map { $0.headers["range"] ?? "none" }
        print("ranges asked: \(ranges); retries: \(log2.retries)")
        #expect(ranges == ["none", "bytes=50000-", "bytes=100000-"])
        #expect(log2.retries.count == 2)
        #expect(try fx2.blobBytes(sha) == fx2.weights)
    }

    @Test func corruptedPayloadIsRejectedAndFetchedAgain() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        let sha = fx.hub.files["model.safetensors"]!.sha256
        fx.hub.corrupt["model.safetensors"] = 1
        let log = EventLog()
        try fx.downloader().download(repo: fx.hub.repo, onEvent: log.add)
        print("retries: \(log.retries)")
        #expect(log.retries.count == 1 && log.retries[0].contains("SHA-256"))
        #expect(fx.cdnGets("model.safetensors").count == 2)
        #expect(fx.cdnGets("model.safetensors").allSatisfy { $0.headers["range"] == nil })   // from byte 0 again
        #expect(try fx.blobBytes(sha) == fx.weights)

        // Corrupted every time: the run fails with both digests named, and nothing bad is left in the cache.
        let fx2 = try HubFixture()
        defer { fx2.tearDown() }
        fx2.hub.corrupt["model.safetensors"] = 10
        #expect { try fx2.downloader().download(repo: fx2.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .checksumMismatch("model.safetensors", let expected, let actual) = e else {
                return false
            }
            print(e.description)
            return expected == sha && actual != sha && actual.count == 64
        }
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: fx2.cache.blob(fx2.hub.repo, sha).path))
        #expect(!fm.fileExists(atPath: fx2.cache.incompleteBlob(fx2.hub.repo, sha).path))
    }

    @Test func notFoundIsExplained() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        #expect { try fx.downloader().download(repo: "lab/no-such-model") } throws: { error in
            guard let e = error as? HubError, case .repositoryNotFound("lab/no-such-model", _, false) = e else { return false }
            print(e.description)
            return e.description.contains("was not found") && e.description.contains("HF_TOKEN")
        }
        #expect { try fx.downloader().download(repo: fx.hub.repo, revision: "v9") } throws: { error in
            guard let e = error as? HubError, case .revisionNotFound(_, "v9") = e else { return false }
            print(e.description)
            return e.description.contains("no revision \"v9\"")
        }
        // A file the catalog requires but the repository lacks: caught from the listing, before any transfer.
        #expect {
            try fx.downloader().download(repo: fx.hub.repo,
                                         selection: FileSelection(required: ["config.json", "tokenizer.json"]))
        } throws: { error in
            guard let e = error as? HubError, case .fileNotFound(_, "main", "tokenizer.json") = e else { return false }
            print(e.description)
            return true
        }
        // A listed file that /resolve answers 404 EntryNotFound.
        fx.hub.vanished = ["tokenizer.model"]
        #expect { try fx.downloader().download(repo: fx.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .fileNotFound(_, _, "tokenizer.model") = e else { return false }
            return true
        }
        // An optional file that is absent is skipped silently.
        let ok = try fx.downloader().download(repo: fx.hub.repo,
                                              selection: FileSelection(required: ["config.json"], optional: ["tokenizer.json"]))
        #expect(ok.files == ["config.json"])
    }

    @Test func noNetworkNamesTheManualAlternative() throws {
        let port = LoopbackHub.closedPort()
        let cache = HubCache(root: FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-hub-\(UUID().uuidString)"))
        let client = HubClient(endpoint: HubEndpoint(url: URL(string: "http://127.0.0.1:\(port)")!), idleTimeout: 5)
        #expect { try Downloader(client: client, cache: cache).download(repo: "baidu/ERNIE-4.5-0.3B-PT") } throws: { error in
            guard let e = error as? HubError, case .unreachable = e else { print("unexpected: \(error)"); return false }
            print(e.description)
            return e.description.contains("huggingface-cli download baidu/ERNIE-4.5-0.3B-PT")
                && e.description.contains("--model PATH") && e.description.contains("connection refused")
                && e.description.contains("models--baidu--ERNIE-4.5-0.3B-PT")
        }
        #expect(!FileManager.default.fileExists(atPath: cache.root.path))   // nothing written
    }

    @Test func freeSpaceIsCheckedBeforeAnyTransfer() throws {
        let fx = try HubFixture()
        defer { fx.tearDown() }
        #expect { try fx.downloader(freeSpace: { _ in 10_000 }).download(repo: fx.hub.repo) } throws: { error in
            guard let e = error as? HubError, case .insufficientSpace(_, let needed, 10_000) = e else { return false }
            print(e.description)
            return needed == Int64(fx.weights.count + fx.tokenizer.count + fx.config.count + 12)
        }
        #expect(fx.hub.requests.allSatisfy { $0.path.hasPrefix("/api/") })
        // statvfs answers for a folder that does not exist yet (through its nearest parent).
        let free = DiskSpace.available(at: fx.cacheRoot.appendingPathComponent("not/yet"))
        #expect((free ?? 0) > 0)
    }

    @Test func downloadedModelIsFoundByTheLocatorWithoutFlags() throws {
        let fx = try HubFixture(repo: "baidu/ERNIE-4.5-0.3B-PT", weightBytes: 20_000)
        defer { fx.tearDown() }
        for name in ["generation_config.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"] {
            fx.hub.add(name, Array("{}".utf8), lfs: false)
        }
        let catalogURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Models/catalog.json").standardizedFileURL
        let catalog = try ModelCatalogFile.load(from: catalogURL)
        let entry = try #require(catalog.hubModel(named: "ernie-4.5-0.3b"))
        #expect(entry.repoId == "baidu/ERNIE-4.5-0.3B-PT")

        let env = ["HF_HUB_CACHE": fx.cacheRoot.path, "HOME": fx.cacheRoot.path]
        let elsewhere = fx.cacheRoot.appendingPathComponent("cwd")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let locator = ModelLocator(environment: env, currentDirectory: elsewhere, projectRoot: elsewhere,
                                   catalog: catalog.locatorCatalog)
        #expect(throws: ModelLocatorError.self) { try locator.locate("ernie-4.5-0.3b") }
        let before = ModelInventory.survey(catalog, locator: locator).first { $0.name == "ernie-4.5-0.3b" }
        #expect(before?.ready == false && before?.note?.contains("lmlab download ernie-4.5-0.3b") == true)

        let result = try fx.downloader().download(repo: entry.repoId, revision: entry.revision, selection: entry.selection)
        // tokenizer.json is optional and absent on this server: skipped.
        #expect(Set(result.files) == Set(entry.files.filter(\.required).map(\.path)))

        let folder = try locator.locate("ernie-4.5-0.3b")
        #expect(folder.url.standardizedFileURL == result.snapshot.standardizedFileURL)
        #expect(folder.isComplete)
        let row = try #require(ModelInventory.survey(catalog, locator: locator).first { $0.name == "ernie-4.5-0.3b" })
        print("inventory row: \(row)")
        #expect(row.ready && row.missing.isEmpty && row.foundIn == "Hugging Face cache" && row.dtype == "bfloat16")
        let expectedSize = fx.hub.files.filter { result.files.contains($0.key) }.values.reduce(0) { $0 + $1.bytes.count }
        #expect(row.sizeOnDisk == Int64(expectedSize))
        // The project's locator (catalog from Models/catalog.json) resolves the name the same way.
        // (a copy of the project holding only Models/catalog.json, so a developer's own Models/ folders cannot interfere)
        let projectRoot = fx.cacheRoot.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: projectRoot.appendingPathComponent("Models"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: catalogURL, to: projectRoot.appendingPathComponent("Models/catalog.json"))
        let projectLocator = try ModelLocator.withProjectCatalog(environment: env, currentDirectory: elsewhere,
                                                                 projectRoot: projectRoot)
        #expect(projectLocator.catalog == catalog.locatorCatalog)
        #expect(try projectLocator.locate("ernie-4.5-0.3b").url.standardizedFileURL == result.snapshot.standardizedFileURL)
        // The same file read through ModelFiles' catalog type.
        let plain = try ModelCatalog.load(from: catalogURL)
        #expect(plain.repoId(for: "ernie-4.5-0.3b-base") == "baidu/ERNIE-4.5-0.3B-Base-PT")
    }
}
