/// Cuts `count` sorted items into at most `groups` consecutive runs of nearly equal size, never
/// splitting a tie: `tiedWithPrevious(i)` says item `i` equals item `i − 1`, and a group's end is
/// pushed past such items. Calibration curves and the monotone binning's pre-bins both cut this way,
/// so that a PD or a ratio shared by many customers never lands on both sides of a bin edge.
func quantileGroups(count: Int, groups: Int, tiedWithPrevious: (Int) -> Bool) -> [Range<Int>] {
    guard count > 0 else { return [] }
    let groups = max(1, groups)
    var ranges: [Range<Int>] = []
    var start = 0
    for group in 1...groups {
        guard start < count else { break }
        var end = max(start + 1, Int((Double(count) * Double(group) / Double(groups)).rounded()))
        end = min(end, count)
        while end < count, tiedWithPrevious(end) { end += 1 }
        ranges.append(start..<end)
        start = end
    }
    return ranges
}
