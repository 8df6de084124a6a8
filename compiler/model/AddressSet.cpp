#include "model/AddressSet.hpp"

#include <algorithm>
#include <iterator>

namespace netsep::model {

namespace {
u128 familyMax(Family f) {
    return f == Family::V4 ? u128(0xffffffffu) : ~u128(0);
}

bool rangeLess(const AddressSet::Range& a, const AddressSet::Range& b) {
    if (a.family != b.family)
        return a.family < b.family;
    return a.lo < b.lo;
}
} // namespace

AddressSet AddressSet::of(const std::vector<IpPrefix>& prefixes) {
    std::vector<Range> ranges;
    ranges.reserve(prefixes.size());
    for (const auto& p : prefixes)
        ranges.push_back({p.family, p.first(), p.last()});
    return ofRanges(std::move(ranges));
}

AddressSet AddressSet::ofRanges(std::vector<Range> ranges) {
    AddressSet s;
    s.ranges_ = std::move(ranges);
    s.normalize();
    return s;
}

void AddressSet::normalize() {
    std::sort(ranges_.begin(), ranges_.end(), rangeLess);
    join();
}

void AddressSet::join() {
    std::vector<Range> out;
    out.reserve(ranges_.size());
    for (const Range& r : ranges_) {
        if (!out.empty() && out.back().family == r.family &&
            (r.lo <= out.back().hi ||
             (out.back().hi != familyMax(r.family) && r.lo == out.back().hi + 1))) {
            out.back().hi = std::max(out.back().hi, r.hi);
        } else {
            out.push_back(r);
        }
    }
    ranges_ = std::move(out);
}

// Adds one range in O(log n) plus the shift of the vector's tail, not a sort
// of the whole set.
void AddressSet::add(const IpPrefix& p) {
    Range r{p.family, p.first(), p.last()};
    // First range of the family that ends at or after r.lo - 1 (may touch r).
    auto first =
        std::lower_bound(ranges_.begin(), ranges_.end(), r, [](const Range& x, const Range& y) {
            if (x.family != y.family)
                return x.family < y.family;
            return x.hi < y.lo && x.hi + 1 < y.lo;
        });
    auto last = first;
    while (last != ranges_.end() && last->family == r.family &&
           (last->lo <= r.hi || (r.hi != familyMax(r.family) && last->lo == r.hi + 1))) {
        r.lo = std::min(r.lo, last->lo);
        r.hi = std::max(r.hi, last->hi);
        ++last;
    }
    if (first == last) {
        ranges_.insert(first, r);
        return;
    }
    *first = r;
    ranges_.erase(first + 1, last);
}

void AddressSet::add(const AddressSet& other) {
    // Both are sorted: one merge, then one pass to join what touches.
    std::vector<Range> merged;
    merged.reserve(ranges_.size() + other.ranges_.size());
    std::merge(ranges_.begin(), ranges_.end(), other.ranges_.begin(), other.ranges_.end(),
               std::back_inserter(merged), rangeLess);
    ranges_ = std::move(merged);
    join();
}

void AddressSet::subtract(const IpPrefix& p) {
    const u128 lo = p.first(), hi = p.last();
    // The ranges that overlap [lo, hi] are consecutive.
    auto first =
        std::lower_bound(ranges_.begin(), ranges_.end(), p.family, [&](const Range& x, Family f) {
            return x.family < f || (x.family == f && x.hi < lo);
        });
    auto last = first;
    while (last != ranges_.end() && last->family == p.family && last->lo <= hi)
        ++last;
    if (first == last)
        return;
    std::vector<Range> pieces;
    if (first->lo < lo)
        pieces.push_back({p.family, first->lo, lo - 1});
    if ((last - 1)->hi > hi)
        pieces.push_back({p.family, hi + 1, (last - 1)->hi});
    auto at = ranges_.erase(first, last);
    ranges_.insert(at, pieces.begin(), pieces.end());
}

bool AddressSet::hasFamily(Family f) const {
    return std::any_of(ranges_.begin(), ranges_.end(),
                       [f](const Range& r) { return r.family == f; });
}

bool AddressSet::contains(const IpPrefix& p) const {
    const u128 lo = p.first();
    auto it =
        std::lower_bound(ranges_.begin(), ranges_.end(), p.family, [&](const Range& x, Family f) {
            return x.family < f || (x.family == f && x.hi < lo);
        });
    return it != ranges_.end() && it->family == p.family && it->lo <= lo && p.last() <= it->hi;
}

bool AddressSet::intersects(const AddressSet& other) const {
    size_t i = 0, j = 0;
    const auto& a = ranges_;
    const auto& b = other.ranges_;
    while (i < a.size() && j < b.size()) {
        if (a[i].family != b[j].family) {
            (a[i].family < b[j].family) ? ++i : ++j;
            continue;
        }
        if (a[i].hi < b[j].lo)
            ++i;
        else if (b[j].hi < a[i].lo)
            ++j;
        else
            return true;
    }
    return false;
}

bool AddressSet::containsAll(const AddressSet& other) const {
    // Both sorted and disjoint: one range of this set must hold each range
    // of the other, and the walk never goes back.
    size_t i = 0;
    for (const Range& o : other.ranges_) {
        while (i < ranges_.size() && (ranges_[i].family < o.family ||
                                      (ranges_[i].family == o.family && ranges_[i].hi < o.lo)))
            ++i;
        if (i == ranges_.size() || ranges_[i].family != o.family || ranges_[i].lo > o.lo ||
            ranges_[i].hi < o.hi)
            return false;
    }
    return true;
}

std::vector<IpPrefix> AddressSet::prefixes(Family f) const {
    std::vector<IpPrefix> out;
    unsigned maxLen = IpPrefix::maxLen(f);
    for (const Range& r : ranges_) {
        if (r.family != f)
            continue;
        u128 lo = r.lo;
        while (true) {
            // Largest aligned block starting at lo that stays within hi.
            unsigned bits = 0;
            while (bits < maxLen) {
                unsigned next = bits + 1;
                if (next == 128) {
                    if (lo == 0 && r.hi == ~u128(0))
                        bits = 128;
                    break;
                }
                u128 size = u128(1) << next;
                if ((lo & (size - 1)) != 0 || lo + (size - 1) > r.hi)
                    break;
                bits = next;
            }
            out.push_back({f, lo, static_cast<uint8_t>(maxLen - bits)});
            u128 end = bits >= 128 ? ~u128(0) : lo + ((u128(1) << bits) - 1);
            if (end >= r.hi)
                break;
            lo = end + 1;
        }
    }
    return out;
}

bool operator==(const AddressSet& a, const AddressSet& b) {
    if (a.ranges_.size() != b.ranges_.size())
        return false;
    for (size_t i = 0; i < a.ranges_.size(); ++i)
        if (a.ranges_[i].family != b.ranges_[i].family || a.ranges_[i].lo != b.ranges_[i].lo ||
            a.ranges_[i].hi != b.ranges_[i].hi)
            return false;
    return true;
}

} // namespace netsep::model
