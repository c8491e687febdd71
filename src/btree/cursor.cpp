#include "btree/cursor.hpp"

#include "btree/value_spill.hpp"
#include "infinitree/error.hpp"

namespace infinitree::btree {

Cursor::Cursor(std::shared_ptr<ChunkStore> store, std::vector<Source> sources)
    : store_(std::move(store)), src_(std::move(sources)) {}

void Cursor::require_valid() const {
  if (cur_ < 0) throw Error(Errc::invalid_argument, "cursor is not positioned on an entry");
}

void Cursor::seek_after(TreeCursor& c, std::string_view k) {
  c.seek(k);
  if (c.valid() && c.key() == k) c.next();
}

void Cursor::seek_before(TreeCursor& c, std::string_view k) {
  c.seek(k);
  if (c.valid())
    c.prev();
  else
    c.seek_to_last();
}

void Cursor::settle_forward() {
  forward_ = true;
  cur_ = -1;
  while (true) {
    // A source whose entry lies in a range erased by a newer source jumps past the range.
    for (size_t i = 1; i < src_.size(); ++i) {
      TreeCursor& c = src_[i].c;
      for (size_t j = 0; j < i && c.valid(); ++j) {
        const KeyRange* r = covering(src_[j].erased, c.key());
        if (!r) continue;
        if (!r->to) {
          // Past the end (the cursor keeps its root for a later change of direction).
          c.seek_to_last();
          if (c.valid()) c.next();
          break;
        }
        c.seek(*r->to);
        j = static_cast<size_t>(-1);  // the new position may be hidden by another range
      }
    }
    int best = -1;
    for (size_t i = 0; i < src_.size(); ++i)
      if (src_[i].c.valid() && (best < 0 || src_[i].c.key() < src_[best].c.key())) best = static_cast<int>(i);
    if (best < 0) return;
    if (!(src_[best].c.flags() & LeafSlot::kTomb)) {
      cur_ = best;
      key_.assign(src_[best].c.key());
      return;
    }
    // The newest entry for this key is a tombstone: step every source off the key.
    std::string k(src_[best].c.key());
    for (Source& s : src_)
      if (s.c.valid() && s.c.key() == k) s.c.next();
  }
}

void Cursor::settle_backward() {
  forward_ = false;
  cur_ = -1;
  while (true) {
    for (size_t i = 1; i < src_.size(); ++i) {
      TreeCursor& c = src_[i].c;
      for (size_t j = 0; j < i && c.valid(); ++j) {
        const KeyRange* r = covering(src_[j].erased, c.key());
        if (!r) continue;
        if (!r->from) {
          c.seek_to_first();
          if (c.valid()) c.prev();
          break;
        }
        seek_before(c, *r->from);
        j = static_cast<size_t>(-1);
      }
    }
    int best = -1;
    for (size_t i = 0; i < src_.size(); ++i)
      if (src_[i].c.valid() && (best < 0 || src_[best].c.key() < src_[i].c.key())) best = static_cast<int>(i);
    if (best < 0) return;
    if (!(src_[best].c.flags() & LeafSlot::kTomb)) {
      cur_ = best;
      key_.assign(src_[best].c.key());
      return;
    }
    std::string k(src_[best].c.key());
    for (Source& s : src_)
      if (s.c.valid() && s.c.key() == k) s.c.prev();
  }
}

void Cursor::seek(std::string_view key) {
  cur_ = -1;  // stays unpositioned if a node cannot be read
  for (Source& s : src_) s.c.seek(key);
  settle_forward();
}

void Cursor::seek_to_first() {
  cur_ = -1;
  for (Source& s : src_) s.c.seek_to_first();
  settle_forward();
}

void Cursor::seek_to_last() {
  cur_ = -1;
  for (Source& s : src_) s.c.seek_to_last();
  settle_backward();
}

void Cursor::next() {
  require_valid();
  cur_ = -1;
  if (src_.size() == 1) {
    src_[0].c.next();
    settle_forward();
    return;
  }
  for (Source& s : src_) {
    if (!forward_)
      seek_after(s.c, key_);
    else if (s.c.valid() && s.c.key() == key_)
      s.c.next();
  }
  settle_forward();
}

void Cursor::prev() {
  require_valid();
  cur_ = -1;
  if (src_.size() == 1) {
    src_[0].c.prev();
    settle_backward();
    return;
  }
  for (Source& s : src_) {
    if (forward_)
      seek_before(s.c, key_);
    else if (s.c.valid() && s.c.key() == key_)
      s.c.prev();
  }
  settle_backward();
}

std::string_view Cursor::key() const {
  require_valid();
  return src_[cur_].c.key();
}

std::string_view Cursor::raw_value() const {
  require_valid();
  return src_[cur_].c.raw_value();
}

bool Cursor::value_spilled() const {
  require_valid();
  return src_[cur_].c.value_spilled();
}

std::string Cursor::value() const {
  require_valid();
  return src_[cur_].c.value();
}

}  // namespace infinitree::btree
