// Page — one full screen of the lab (home, a lesson, an explorer). The app keeps a stack of pages: the top one draws
// and gets the keys; `.open` pushes, `.back` pops (q or Esc), `.quit` leaves the lab.

public enum PageAction {
    /// Nothing to do but redraw.
    case stay
    /// Push a new page on top of this one.
    case open(Page)
    /// Pop this page (the home page's back is quit).
    case back
    /// Give the terminal to another program while `body` runs (an editor: ExternalEditor), then redraw.
    case handOver(() -> Void)
    case quit
}

public protocol Page: AnyObject {
    /// Draws the whole page; called after every key and on resize, so it must work at any size down to 40×12.
    func draw(on screen: Screen)
    func handle(_ key: Key) -> PageAction
    /// The one-line help for the status bar, e.g. "space step · a autoplay · q back".
    var keyHelp: String { get }
}
