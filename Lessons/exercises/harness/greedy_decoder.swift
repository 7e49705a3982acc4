// The harness `lmlab exercise check greedy_decoder` compiles with your file. It talks to the lab over
// stdin/stdout: the lab sends a task, your decoder's questions go to the lab's model, and the answer goes back.
//   lab → harness:  TASK <maxNewTokens> <endToken> <prompt ids, comma-separated>   |   DONE
//   harness → lab:  QUERY <ids>          lab → harness: <log-probs, space-separated>
//   harness → lab:  RESULT <new ids>
import Foundation

labEndWithTheLab()
func readLine_() -> String? { readLine(strippingNewline: true) }

while let line = readLine_() {
    if line == "DONE" { break }
    let parts = line.split(separator: " ")
    guard parts.count == 4, parts[0] == "TASK", let maxNew = Int(parts[1]), let end = Int(parts[2]) else {
        print("ERROR bad task line: \(line)"); fflush(stdout); exit(2)
    }
    let prompt = parts[3].split(separator: ",").compactMap { Int($0) }
    var queries = 0
    let result = greedyDecode(prompt: prompt, maxNewTokens: maxNew, endToken: end) { ids in
        queries += 1
        if queries > 10_000 { print("ERROR more than 10000 model calls: is the loop stopping?"); fflush(stdout); exit(3) }
        print("QUERY " + ids.map(String.init).joined(separator: ","))
        fflush(stdout)
        guard let reply = readLine_() else { exit(4) }
        return reply.split(separator: " ").map { Float(String($0)) ?? -Float.infinity }
    }
    print("RESULT " + result.map(String.init).joined(separator: ","))
    fflush(stdout)
}
