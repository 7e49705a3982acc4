// Paths the LabCLI tests share: the project folder, its shipped tiny ERNIE, and the lmlab binary built next to
// the test bundle (tests that drive the real binary skip, saying why, when it is missing).
import Foundation
import LabTestSupport

/// The project folder (three levels above this file).
let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The shipped tiny ERNIE, by absolute path.
let shippedTinyErnie = projectRoot.appendingPathComponent("Models/tiny-ernie").path

/// The `lmlab` executable built next to this test bundle, if there is one.
func builtLmlab() -> String? { builtExecutable("lmlab") }
