// Small output helper shared by the commands: a line to stderr (JSON is Lab's `jsonString`).
import Foundation

enum FileHandleOutput {
    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
