// The harness `lmlab exercise check top_p` compiles with your file.
//   lab → harness:  TASK <p> <probabilities, space-separated>   |   DONE
//   harness → lab:  RESULT <your filtered probabilities, space-separated>
import Foundation

while let line = readLine(strippingNewline: true) {
    if line == "DONE" { break }
    let parts = line.split(separator: " ")
    guard parts.count >= 3, parts[0] == "TASK", let p = Double(parts[1]) else {
        print("ERROR bad task line: \(line)"); fflush(stdout); exit(2)
    }
    let probs = parts.dropFirst(2).map { Double(String($0)) ?? .nan }
    let result = topP(probs, p: p)
    print("RESULT " + result.map { "\($0)" }.joined(separator: " "))
    fflush(stdout)
}
