// The path a write lands on, decided as the kernel decides it (KernelPath): a ".." after a symbolic link goes up
// from the link's target, not from the link, so `<models>/tiny-ernie/LINK/../x` is not inside the models folder when
// LINK points elsewhere; and `createFolder` makes the folder the writer then writes into (hostile-input audit 14,
// F1). Every link is made here, in a temporary folder.
import Foundation
import Testing
@testable import LabCore

/// A fresh folder, its own links resolved (the temporary folder itself may be a link), removed by the caller.
private func scratch(_ tag: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-kpath-\(tag)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return try #require(KernelPath.resolve(url))
}

/// <root>/models/tiny-ernie/LINK → ../../victim/inner (relative, as a shared folder would carry it).
private func plantedLink(_ root: URL) throws -> (models: URL, victim: URL) {
    let models = root.appendingPathComponent("models/tiny-ernie")
    let victim = root.appendingPathComponent("victim")
    try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: victim.appendingPathComponent("inner"),
                                            withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: models.appendingPathComponent("LINK").path,
                                               withDestinationPath: "../../victim/inner")
    return (models, victim)
}

@Suite struct PolicyPathTests {
    @Test func aDotDotAfterALinkGoesUpFromTheLinksTarget() throws {
        let root = try scratch("dotdot")
        defer { try? FileManager.default.removeItem(at: root) }
        let (models, victim) = try plantedLink(root)
        let written = models.appendingPathComponent("LINK/../x")
        #expect(written.standardizedFileURL.path == models.appendingPathComponent("x").path)   // by name: wrong
        #expect(KernelPath.resolve(written)?.path == victim.appendingPathComponent("x").path)
        // Where the kernel really puts it:
        #expect(FileManager.default.createFile(atPath: written.path, contents: Data("k".utf8)))
        #expect(FileManager.default.fileExists(atPath: victim.appendingPathComponent("x").path))
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("x").path))
    }

    @Test func linksToNowhereAreFollowedLoopsLeadNowhereAndPlainPathsStay() throws {
        let root = try scratch("links")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path,
                                  withDestinationPath: root.appendingPathComponent("elsewhere/new").path)
        #expect(KernelPath.resolve(root.appendingPathComponent("dangling"))?.path
                == root.appendingPathComponent("elsewhere/new").path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("a").path, withDestinationPath: "b")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("b").path, withDestinationPath: "a")
        #expect(KernelPath.resolve(root.appendingPathComponent("a/x")) == nil)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("top").path, withDestinationPath: "/")
        #expect(KernelPath.resolve(root.appendingPathComponent("top/no-such-part"))?.path == "/no-such-part")
        let plain = root.appendingPathComponent("not/yet/./there/../here")
        #expect(KernelPath.resolve(plain)?.path == root.appendingPathComponent("not/yet/here").path)
    }

    @Test func createFolderMakesTheFolderTheWriterWritesInto() throws {
        let root = try scratch("create")
        defer { try? FileManager.default.removeItem(at: root) }
        let (models, victim) = try plantedLink(root)
        let out = models.appendingPathComponent("LINK/../pwned")
        try createFolder(out, for: "train --out")
        var isFolder: ObjCBool = false
        let made = victim.appendingPathComponent("pwned").path
        #expect(FileManager.default.fileExists(atPath: made, isDirectory: &isFolder))
        #expect(isFolder.boolValue)
        #expect(!FileManager.default.fileExists(atPath: models.appendingPathComponent("pwned").path))
        // A file written through the path as given lands in the folder made.
        try Data("w".utf8).write(to: out.appendingPathComponent("model.safetensors"))
        #expect(FileManager.default.fileExists(atPath: victim.appendingPathComponent("pwned/model.safetensors").path))
    }
}
