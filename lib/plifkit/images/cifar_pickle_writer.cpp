#include "plifkit/images/cifar_pickle_writer.hpp"

#include "plifkit/core/error.hpp"

namespace plifkit {

namespace {

class Pickler {
 public:
  void op(char c) { out.push_back(static_cast<std::uint8_t>(c)); }
  void raw(const std::string& s) { out.insert(out.end(), s.begin(), s.end()); }
  void le(std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  // cPickle memoizes every container and string it writes.
  void put() {
    if (memo_ < 256) {
      op('q');
      le(memo_, 1);
    } else {
      op('r');
      le(memo_, 4);
    }
    ++memo_;
  }
  void string(const std::string& s, bool memoize = true) {
    if (s.size() < 256) {
      op('U');
      le(static_cast<std::uint32_t>(s.size()), 1);
    } else {
      op('T');
      le(static_cast<std::uint32_t>(s.size()), 4);
    }
    raw(s);
    if (memoize) put();
  }
  void integer(std::uint32_t v) {
    if (v < 256) {
      op('K');
      le(v, 1);
    } else if (v < 65536) {
      op('M');
      le(v, 2);
    } else {
      op('J');
      le(v, 4);
    }
  }

  std::vector<std::uint8_t> out;

 private:
  std::uint32_t memo_ = 1;
};

}  // namespace

std::vector<std::uint8_t> cifar_pickle_bytes(const ImageBatch& batch, const std::string& batch_label,
                                             const std::vector<std::string>& filenames) {
  if (batch.channels != 3 || batch.height != 32 || batch.width != 32 ||
      filenames.size() != batch.count || batch.labels.size() != batch.count)
    throw UsageError("a CIFAR-10 batch holds 3x32x32 images with one label and one file name each");
  Pickler p;
  p.op('\x80');
  p.le(2, 1);
  p.op('}');
  p.put();
  p.op('(');
  p.string("data");
  p.raw("cnumpy.core.multiarray\n_reconstruct\n");
  p.put();
  p.raw("cnumpy\nndarray\n");
  p.put();
  p.integer(0);
  p.op('\x85');
  p.string("b", false);
  p.op('\x87');
  p.op('R');
  p.put();
  p.op('(');
  p.integer(1);
  p.integer(static_cast<std::uint32_t>(batch.count));
  p.integer(3072);
  p.op('\x86');
  p.raw("cnumpy\ndtype\n");
  p.put();
  p.string("u1", false);
  p.integer(0);
  p.integer(1);
  p.op('\x87');
  p.op('R');
  p.put();
  p.op('(');
  p.integer(3);
  p.string("|", false);
  p.raw("NNN");
  p.op('J');
  p.le(0xffffffffu, 4);
  p.op('J');
  p.le(0xffffffffu, 4);
  p.integer(0);
  p.op('t');
  p.op('b');
  p.op('\x89');
  p.op('T');  // the pixels: BINSTRING, not memoized (as cPickle writes them)
  p.le(static_cast<std::uint32_t>(batch.pixels.size()), 4);
  p.out.insert(p.out.end(), batch.pixels.begin(), batch.pixels.end());
  p.op('t');
  p.op('b');
  p.string("labels");
  p.op(']');
  p.put();
  for (std::size_t i = 0; i < batch.count; i += 1000) {
    p.op('(');
    for (std::size_t j = i; j < batch.count && j < i + 1000; ++j) p.integer(batch.labels[j]);
    p.op('e');
  }
  p.string("batch_label");
  p.string(batch_label);
  p.string("filenames");
  p.op(']');
  p.put();
  for (std::size_t i = 0; i < batch.count; i += 1000) {
    p.op('(');
    for (std::size_t j = i; j < batch.count && j < i + 1000; ++j) p.string(filenames[j]);
    p.op('e');
  }
  p.op('u');
  p.op('.');
  return p.out;
}

}  // namespace plifkit
