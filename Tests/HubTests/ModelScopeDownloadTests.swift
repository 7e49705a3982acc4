// `lmlab download --source modelscope` end to end against LoopbackHub answering as ModelScope (127.0.0.1 only): the
// files land in the Hugging Face cache under the Hub's repository id (so the catalog name finds them), every file is
// checked against the listed SHA-256, and a hostile ModelScope answer is held to the same path and size checks.
import Foundation
import Testing
import ModelFiles
@testable import Hub

private func modelScopeFixture() throws -> (HubFixture, Downloader) {
    let fixture = try HubFixture(repo: "baidu/ERNIE-test")
    fixture.hub.modelScopeRepo = "PaddlePaddle/ERNIE-test"
    let client = HubClient(endpoint: HubEndpoint(url: fixture.hub.endpoint, source: .modelscope), idleTimeout: 5,
                           remoteRepos: ["baidu/ERNIE-test": "PaddlePaddle/ERNIE-test"])
    return (fixture, Downloader(client: client, cache: fixture.cache, maxRetries: 2, retryDelay: 0.01,
                                freeSpace: { _ in 1 << 40 }))
}

@Test func modelScopeFilesLandInTheHubCacheUnderTheHubsRepoId() throws {
    let (fixture, downloader) = try modelScopeFixture()
    defer { fixture.tearDown() }
    let result = try downloader.download(repo: "baidu/ERNIE-test", revision: "master")
    #expect(result.commit == fixture.hub.commit, "the commit ModelScope lists for the files")
    #expect(result.snapshot.path.contains("models--baidu--ERNIE-test/snapshots/\(fixture.hub.commit)"))
    #expect(try Data(contentsOf: result.snapshot.appendingPathComponent("model.safetensors")) == Data(fixture.weights))
    #expect(try Data(contentsOf: result.snapshot.appendingPathComponent("extra/notes.txt")) == Data("nested file\n".utf8))
    let listings = fixture.hub.requests.filter { $0.path.hasPrefix("/api/v1/models/PaddlePaddle/ERNIE-test/repo/files?") }
    #expect(listings.count == 1 && listings[0].path.contains("Revision=master&Recursive=true"))
    #expect(fixture.hub.requests.contains { $0.path.contains("/repo?Revision=master&FilePath=extra%2Fnotes.txt") })
    #expect(try String(contentsOf: fixture.cacheRoot.appendingPathComponent("models--baidu--ERNIE-test/refs/master"),
                       encoding: .utf8) == fixture.hub.commit)
}

@Test func aModelScopeListingWithoutOneCommitIsNamedByItsContent() throws {
    let (fixture, downloader) = try modelScopeFixture()
    defer { fixture.tearDown() }
    fixture.hub.tamperModelScopeFile("config.json") { $0["Revision"] = "master" }
    let first = try downloader.download(repo: "baidu/ERNIE-test", revision: "master")
    #expect(first.commit != fixture.hub.commit && HubCache.isCommitHash(first.commit))
    let again = try downloader.download(repo: "baidu/ERNIE-test", revision: "master")
    #expect(again.commit == first.commit, "the same listing, the same folder")
}

@Test func aHostileModelScopeListingIsRefusedBeforeAnyByteIsWritten() throws {
    let cases: [(String, @Sendable (inout [String: Any]) -> Void, String)] = [
        ("config.json", { (e: inout [String: Any]) in e["Path"] = "../../escape.json" }, "unsafe file name"),
        ("config.json", { (e: inout [String: Any]) in e["Size"] = -1 }, "\"Size\""),
        ("model.safetensors", { (e: inout [String: Any]) in e["Sha256"] = "not-hex" }, "Sha256"),
    ]
    for (name, edit, says) in cases {
        let (fixture, downloader) = try modelScopeFixture()
        defer { fixture.tearDown() }
        fixture.hub.tamperModelScopeFile(name, edit)
        #expect {
            try downloader.download(repo: "baidu/ERNIE-test", revision: "master")
        } throws: { error in
            let text = "\(error)"
            print(text)
            return text.contains(says)
        }
        let blobs = fixture.cacheRoot.appendingPathComponent("models--baidu--ERNIE-test/blobs").path
        let written = (try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? []
        #expect(written.isEmpty, "nothing written before the listing was checked: \(written)")
    }
}

@Test func aCorruptedModelScopeFileFailsItsSHA256AndIsFetchedAgain() throws {
    let (fixture, downloader) = try modelScopeFixture()
    defer { fixture.tearDown() }
    fixture.hub.corrupt["config.json"] = 1            // a small file: ModelScope lists a SHA-256 for every file
    let result = try downloader.download(repo: "baidu/ERNIE-test", revision: "master")
    #expect(try Data(contentsOf: result.snapshot.appendingPathComponent("config.json")) == Data(fixture.config))
    #expect(fixture.hub.requests.filter { $0.path.contains("FilePath=config.json") }.count == 2)
}

@Test func anUnknownModelScopeRepositoryOrRevisionIsExplained() throws {
    let (fixture, downloader) = try modelScopeFixture()
    defer { fixture.tearDown() }
    #expect(throws: HubError.revisionNotFound(repo: "baidu/ERNIE-test", revision: "v9")) {
        try downloader.download(repo: "baidu/ERNIE-test", revision: "v9")
    }
    #expect { try downloader.download(repo: "baidu/other", revision: "master") } throws: { error in
        print(error)
        return "\(error)".contains("repository baidu/other was not found")
    }
}
