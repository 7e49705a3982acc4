// ExplorerFrame — what every explorer page does around its own picture and keys, kept in one place so a page file
// holds only those two: it draws in the language the page was opened in (the explorer's own wording follows it),
// puts the title on top and the key bar at the bottom, shows an error of the picture in place of it, keeps the
// message line above the key bar, and owns the `?` box of keys and q/Esc back (KeyHelpOverlay).
//
//   public func draw(on screen: Screen) { frame.draw(on: screen, title: title, keyHelp: keyHelp, bodyTop: 2) { … } }
//   public func handle(_ key: Key) -> PageAction { frame.handle(key) { key in …; return nil } }

import Lab
import LabCore

final class ExplorerFrame {
    /// The learner's language where the page was opened (a zh lesson's cell: Chinese).
    let language = Learner.language
    var zh: Bool { language == .zh }
    /// The `?` box is open: the next key closes it.
    private(set) var showKeys = false
    /// A line for the learner above the key bar (an exported path, an error), shown until the next key.
    var message: String?
    private let messageStyle: TextStyle

    /// - Parameter messageStyle: how the message line looks (`.good` for a page whose messages are mostly results).
    init(messageStyle: TextStyle = .bad) { self.messageStyle = messageStyle }

    /// Draws the whole page in the page's language: `title` and `keyHelp` around `body` (which draws from row
    /// `bodyTop`; an error it throws is printed there instead), then the message line and the `?` box.
    func draw(on screen: Screen, title: @autoclosure () -> StyledLine, keyHelp: @autoclosure () -> String,
              bodyTop: Int, body: () throws -> Void) {
        Learner.$language.withValue(language) {
            let keys = keyHelp()
            OutputView.frame(title(), keyHelp: keys, on: screen)
            do { try body() } catch {
                screen.put(EastAsianWidth.truncate("\(error)", toCells: screen.cols), row: bodyTop, col: 0, style: .bad)
            }
            KeyHelpOverlay.finish(on: screen, keyHelp: keys, zh: zh, open: showKeys, message: message,
                                  messageStyle: messageStyle)
        }
    }

    /// A key: the message goes; the `?` box, q and Esc are handled here; any other key goes to `pageKeys`, whose
    /// returned text (or thrown error) becomes the message line. The page stays unless the box or q/Esc say otherwise.
    func handle(_ key: Key, pageKeys: (Key) throws -> String?) -> PageAction {
        message = nil
        if let action = KeyHelpOverlay.handle(key, open: &showKeys) { return action }
        do { message = try pageKeys(key) } catch { message = "\(error)" }
        return .stay
    }
}
