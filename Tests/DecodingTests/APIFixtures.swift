// The hand-written llama.cpp-style answers in Fixtures/API, served by LabTestSupport's APILoopbackServer.
import Foundation
import LabTestSupport

extension APILoopbackServer {
    static func fixture(_ name: String) -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/API").appendingPathComponent(name)
        return Array((try? Data(contentsOf: url)) ?? Data("missing fixture \(name)".utf8))
    }

    static func ok(_ name: String) -> Reply { Reply(status: 200, body: fixture(name)) }
}
