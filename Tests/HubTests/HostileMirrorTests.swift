// A hostile mirror on loopback (issue #17), paths: a commit that is a path, revisions and file names that climb out
// of the cache, a symbolic link planted inside it; and `lmlab download` against each kind of lie (bodies and sizes
// are in HostileMirrorBodyTests). Each ends in a HubError that names the server or file, what was found and the fix
// — through `lmlab download` in exit 1 (64 for a bad --revision) — after a bounded number of requests, well within
// 30 s, with every file beside the cache (a Sandbox) unchanged.

import Foundation
import Testing
import LabTestSupport
@testable import Hub

/// A folder holding the cache (`cache/`), a HOME for `lmlab` runs (`home/`) and, beside them, files a hostile
/// mirror would like to reach.
struct Sandbox {
    let root: URL
    var cache: URL { root.appendingPathComponent("cache") }
    var home: URL { root.appendingPathComponent("home") }
    var victimFolder: URL { root.appendingPathComponent("victim") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-hostile-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: victimFolder, withIntermediateDirectories: true)
        for name in ["victim/config.json", "victim/model.safetensors", "victim.txt", "x"] {
            try Data("precious \(name)\n".utf8).write(to: root.appendingPathComponent(name))
        }
    }

    /// Every entry outside cache/ and home/, by relative path: "dir", "link → target", or the file's text.
    func outside() -> [String: String] {
        var found: [String: String] = [:]
        func walk(_ folder: URL, _ prefix: String) {
            let fm = FileManager.default
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] {
                let rel = prefix + name
                if rel == "cache" || rel == "home" { continue }
                let url = folder.appendingPathComponent(name)
                let type = (try? fm.attributesOfItem(atPath: url.path))?[.type] as? FileAttributeType
                if type == .typeSymbolicLink {
                    found[rel] = "link → " + ((try? fm.destinationOfSymbolicLink(atPath: url.path)) ?? "?")
                } else if type == .typeDirectory {
                    found[rel] = "dir"
                    walk(url, rel + "/")
                } else {
                    found[rel] = (try? String(contentsOf: url, encoding: .utf8)) ?? "unreadable"
                }
            }
        }
        walk(root, "")
        return found
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Runs `body` with a fresh sandbox and a loopback hub whose cache is inside it, then checks that nothing beside the
/// cache changed.
func inSandbox(_ body: (Sandbox, HubFixture) throws -> Void) throws {
    let box = try Sandbox()
    defer { box.remove() }
    let fx = try HubFixture(cacheRoot: box.cache)
    defer { fx.tearDown() }
    let before = box.outside()
    try body(box, fx)
    #expect(box.outside() == before, "nothing beside the cache was touched")
}

/// Runs a download on its own thread, returning the HubError it ends in (nil when it succeeded or threw something
/// else) and its time. One that has not ended after 30 s is recorded as an issue and left behind (a hang fails the
/// test instead of stalling the run).
func outcome(_ body: @escaping @Sendable () throws -> Void) -> (error: HubError?, elapsed: Duration) {
    final class Box: @unchecked Sendable { var error: Error? }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    let clock = ContinuousClock()
    let start = clock.now
    Thread {
        do { try body() } catch { box.error = error }
        done.signal()
    }.start()
    guard done.wait(timeout: .now() + 30) == .success else {
        Issue.record("the download did not end within 30 s")
        return (nil, clock.now - start)
    }
    if let error = box.error, !(error is HubError) { Issue.record("not a HubError: \(error)") }
    return (box.error as? HubError, clock.now - start)
}

/// The pauses a downloader took, recorded instead of slept.
final class Pauses: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TimeInterval] = []
    func add(_ t: TimeInterval) { lock.lock(); items.append(t); lock.unlock() }
    var values: [TimeInterval] { lock.lock(); defer { lock.unlock() }; return items }
}

@Suite struct HostileMirrorTests {
    /// The listing's `sha` becomes a folder name: anything but 40 lowercase hex digits stops the download at the
    /// listing, naming the URL, the field and what was found.
    @Test func aCommitThatIsNotFortyHexDigitsIsRefused() throws {
        let values: [Any] = ["../../../victim", "0123456789abcdef0123456789abcdef0123456/", "../../../victim/../victim",
                             "0123456789ABCDEF0123456789ABCDEF01234567", "", 42]
        for value in values {
            try inSandbox { box, fx in
                fx.hub.tamperListing = { $0["sha"] = value }
                let (error, elapsed) = outcome { try fx.downloader().download(repo: fx.hub.repo) }
                guard case .badResponse(let url, let problem)? = error else {
                    Issue.record("sha \(value): \(String(describing: error))"); return
                }
                print(error!.description)
                #expect(url.hasSuffix("/api/models/lab/tiny-test/revision/main?blobs=true"))
                #expect(problem.contains("\"sha\"") && problem.contains("40 lowercase hex digits"))
                #expect(problem.contains((value as? String).map { HubError.shown($0) } ?? "the non-string 42"))
                #expect(error!.description.contains("HINT"))
                #expect(fx.hub.requests.count == 1, "the listing only")
                #expect(!FileManager.default.fileExists(atPath: box.cache.path), "nothing written, even in the cache")
                #expect(elapsed < .seconds(30))
            }
        }
    }

    /// A revision is a git ref name: one that could climb out of refs/ is refused before any request.
    @Test func aRevisionThatLeavesRefsIsRefusedBeforeAnyRequest() throws {
        try inSandbox { box, fx in
            let hostile = ["../../x", "../../../x", "refs/../../../victim.txt", "/etc/x", "refs//pr", "main/", ".hidden",
                           "refs/.x", "v1.lock", "a\u{1B}[2Jb", "a\u{0}b", "a b", "a\\b", "a:b", "@", "x@{1}", "end.", "",
                           String(repeating: "a", count: 300)]
            for revision in hostile {
                let (error, _) = outcome { try fx.downloader().download(repo: fx.hub.repo, revision: revision) }
                guard case .invalidRevision(revision, let problem)? = error else {
                    Issue.record("\(revision.debugDescription): \(String(describing: error))"); continue
                }
                #expect(!problem.isEmpty)
                #expect(error!.description.hasPrefix("revision \"") && error!.description.contains("HINT: give --revision"))
                #expect(!error!.description.contains("\u{1B}"), "control characters are shown escaped")
            }
            print(HubError.invalidRevision(revision: "../../x", problem: HubCache.revisionProblem("../../x")!).description)
            #expect(fx.hub.requests.isEmpty, "refused before any request")
            // The cache refuses such a ref on its own too.
            #expect(throws: HubError.self) { try fx.cache.writeRef(fx.hub.repo, revision: "../../x", commit: fx.hub.commit) }
            #expect(fx.cache.commit(fx.hub.repo, revision: "../../../x") == nil)
            // The names the Hub uses pass, and a nested one writes refs/<name> inside refs/.
            for good in ["main", "refs/pr/1", "v1.0", "release_2024-01", fx.hub.commit] {
                #expect(HubCache.revisionProblem(good) == nil, "\(good)")
            }
            fx.hub.branches.insert("refs/pr/1")
            try fx.downloader().download(repo: fx.hub.repo, revision: "refs/pr/1")
            #expect(try String(contentsOf: fx.cache.refsFolder(fx.hub.repo).appendingPathComponent("refs/pr/1"),
                               encoding: .utf8) == fx.hub.commit)
        }
    }

    /// File names and blob ids from the listing are paths too: any that could leave the snapshot or blobs/ stops
    /// the download before a byte is fetched.
    @Test func fileNamesAndBlobIdsThatLeaveTheCacheAreRefused() throws {
        let names = ["../x", "../../../../victim.txt", "/etc/x", "a/../../x", "./config.json", "sub//x", "sub/",
                     "evil\u{1B}]0;pwned\u{07}", "a\\..\\x", "config.json/inner"]
        for name in names {
            try inSandbox { box, fx in
                fx.hub.add(name, Array("hostile\n".utf8), lfs: false)
                let (error, elapsed) = outcome { try fx.downloader().download(repo: fx.hub.repo) }
                guard case .badResponse(_, let problem)? = error else {
                    Issue.record("\(name.debugDescription): \(String(describing: error))"); return
                }
                print(problem)
                #expect(problem.contains(HubError.shown(name)) || problem.contains("\"config.json\""))
                #expect(problem.contains("unsafe file name") || problem.contains("both as a file and as a folder"))
                #expect(!problem.contains("\u{1B}"))
                #expect(fx.hub.requests.allSatisfy { $0.path.hasPrefix("/api/") }, "nothing fetched")
                #expect(elapsed < .seconds(30))
            }
        }
        let blobIds: [(String, @Sendable (inout [String: Any]) -> Void)] = [
            ("config.json", { $0["blobId"] = "../../../victim.txt" }),
            ("config.json", { $0["blobId"] = "." }),
            ("model.safetensors", { $0["lfs"] = ["sha256": "../../../victim/model.safetensors", "size": 300_000] }),
            ("model.safetensors", { $0["lfs"] = ["sha256": String(repeating: "a", count: 40), "size": 300_000] }),
        ]
        for (file, edit) in blobIds {
            try inSandbox { box, fx in
                fx.hub.tamperSibling(file, edit)
                let (error, _) = outcome { try fx.downloader().download(repo: fx.hub.repo) }
                guard case .badResponse(_, let problem)? = error else {
                    Issue.record("\(file): \(String(describing: error))"); return
                }
                print(problem)
                #expect(problem.contains("blob id") && problem.contains("hex digits"))
                #expect(fx.hub.requests.allSatisfy { $0.path.hasPrefix("/api/") })
            }
        }
    }

    /// The server's X-Error-Message reaches the terminal escaped: it cannot clear the screen or retitle the window.
    @Test func aServersErrorMessageIsShownEscaped() {
        let client = HubClient(endpoint: HubEndpoint(url: URL(string: "http://127.0.0.1:9")!))
        let message = "Access denied\u{1B}[2J\u{1B}]0;pwned\u{07}"
        for status in [403, 500] {
            let error = client.classify(status: status, headers: ["x-error-message": message], repo: "lab/tiny-test",
                                        revision: "main", file: nil, url: URL(string: "http://127.0.0.1:9/x")!)
            print(error.description)
            #expect(!error.description.contains("\u{1B}") && !error.description.contains("\u{07}"))
            #expect(error.description.contains(#"Access denied\u{1B}[2J"#))
        }
    }

    /// The last line of defence: a folder inside the cache that is a symbolic link to a folder beside it (a cache
    /// prepared by someone else) is not followed; the link is refused, the files beyond it stay as they were.
    @Test func aSymbolicLinkInsideTheCacheIsNotFollowedOut() throws {
        try inSandbox { box, fx in
            let snapshots = fx.cache.snapshotsFolder(fx.hub.repo)
            try FileManager.default.createDirectory(at: snapshots, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: snapshots.appendingPathComponent(fx.hub.commit),
                                                       withDestinationURL: box.victimFolder)
            let (error, _) = outcome { try fx.downloader().download(repo: fx.hub.repo) }
            guard case .outsideCache(_, let folder, let reason)? = error else {
                Issue.record("\(String(describing: error))"); return
            }
            print(error!.description)
            #expect(folder == HubCache.lexical(snapshots.path) && reason.contains("is a symbolic link"))

            // The lexical check on its own: ".." that climbs out, the folder itself, and a path inside.
            let blobs = fx.cache.blobsFolder(fx.hub.repo)
            #expect(throws: HubError.self) { try HubCache.ensureInside(blobs.appendingPathComponent("../../../x"), blobs) }
            #expect(throws: HubError.self) { try HubCache.ensureInside(blobs.appendingPathComponent("a/.."), blobs) }
            #expect(throws: HubError.self) { try HubCache.ensureInside(URL(fileURLWithPath: "/etc/passwd"), blobs) }
            try HubCache.ensureInside(blobs.appendingPathComponent("a/../b"), blobs)
            #expect(HubCache.lexical("/a/./b/../c//d/") == "/a/c/d")
        }
    }

    // MARK: The command line

    /// `lmlab download` against the hostile mirror: exit 1 (64 for a bad --revision, a usage error), no signal, the
    /// message on stderr with its HINT, the files beside the cache unchanged, well within 30 s.
    @Test func lmlabDownloadExitsWithAnErrorOnAHostileMirror() throws {
        guard let lmlab = builtExecutable("lmlab") else {
            print("SKIPPED lmlabDownloadExitsWithAnErrorOnAHostileMirror: no built lmlab next to the tests (run swift build first).")
            return
        }
        let cases: [(name: String, arguments: [String], status: Int32, says: String, setUp: (LoopbackHub) -> Void)] = [
            ("commit", [], 1, "\"sha\" must be a commit id", { $0.tamperListing = { $0["sha"] = "../../../victim" } }),
            ("revision", ["--revision", "../../x"], 64, "revision \"../../x\": it contains", { _ in }),
            ("file name", [], 1, "unsafe file name", { $0.add("../../../victim.txt", Array("x".utf8), lfs: false) }),
            ("short body", [], 1, "sent only", { $0.shortBy["config.json"] = 20 }),
            ("negative size", [], 1, "is -5", { $0.tamperSibling("config.json") { $0["size"] = -5 } }),
        ]
        for c in cases {
            try inSandbox { box, fx in
                c.setUp(fx.hub)
                var env = ["HF_HUB_CACHE": box.cache.path, "HOME": box.home.path, "PATH": "/usr/bin:/bin"]
                // Under scripts/sanitizers.sh the child must keep the run's sanitizer settings: without them
                // LeakSanitizer reports what is alive at exit() and turns the exit status into 1.
                for key in ["ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS"] {
                    env[key] = ProcessInfo.processInfo.environment[key]
                }
                let clock = ContinuousClock()
                let start = clock.now
                let run = try LabRun.run([lmlab, "download", fx.hub.repo, "--endpoint", fx.hub.endpoint.absoluteString] + c.arguments,
                                         environment: env, inheritEnvironment: false, directory: box.root.path, deadline: 30)
                let elapsed = clock.now - start
                let stderr = run.stderr
                print("\(c.name): \(run.ending) after \(elapsed)\n\(stderr)")
                #expect(run.ending == .exit(c.status), "\(c.name): exit \(c.status), no signal")
                #expect(stderr.contains(c.says) && stderr.contains("HINT"), "\(c.name)")
                #expect(fx.hub.requests.count <= 12, "\(c.name): a bounded number of requests")
            }
        }
    }
}
