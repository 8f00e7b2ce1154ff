#include "plifkit/images/cifar_pickle.hpp"

#include <cstdio>
#include <deque>
#include <map>
#include <vector>

#include "plifkit/core/error.hpp"
#include "plifkit/images/cifar_reader.hpp"

namespace plifkit {

namespace {

enum class Kind { none, boolean, integer, bytes, text, tuple, list, dict, global, array, dtype };

// The callables and the class a GLOBAL may name.
enum class Callable { reconstruct, ndarray, dtype, encode };

struct Value {
  Kind kind = Kind::none;
  std::size_t at = 0;        // offset of the opcode that made it
  std::int64_t number = 0;   // boolean, integer
  std::string str;           // bytes, text (UTF-8)
  Callable callable = Callable::ndarray;  // global
  std::vector<Value*> items;  // tuple, list; dict: key, value, ...; array: its data (bytes)
  std::vector<std::int64_t> shape;  // array
  bool built = false;               // array, dtype: BUILD done
};

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::none: return "None";
    case Kind::boolean: return "bool";
    case Kind::integer: return "int";
    case Kind::bytes: return "bytes";
    case Kind::text: return "str";
    case Kind::tuple: return "tuple";
    case Kind::list: return "list";
    case Kind::dict: return "dict";
    case Kind::global: return "global";
    case Kind::array: return "ndarray";
    case Kind::dtype: return "dtype";
  }
  return "?";
}

class Machine {
 public:
  Machine(const std::uint8_t* data, std::size_t size, const std::string& path)
      : data_(data), size_(size), path_(path) {}

  // Runs to STOP; returns the one object left and where STOP was.
  Value* run(std::size_t& stop_at);

  [[noreturn]] void fail(std::size_t at, const std::string& why) const {
    throw FormatError(cannot_decode(path_, at) + why);
  }

 private:
  Value* make(Kind kind) {
    values_.emplace_back();
    values_.back().kind = kind;
    values_.back().at = op_at_;
    return &values_.back();
  }
  const std::uint8_t* take(std::size_t n) {
    if (size_ - pos_ < n) fail(op_at_, "truncated: the file ends inside opcode " + op_name());
    const std::uint8_t* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  std::uint32_t le(std::size_t n) {
    const std::uint8_t* p = take(n);
    std::uint32_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
    return v;
  }
  std::string op_name() const {
    char text[32];
    const unsigned op = data_[op_at_];
    if (op >= 0x20 && op < 0x7f) std::snprintf(text, sizeof text, "'%c'", op);
    else std::snprintf(text, sizeof text, "0x%02x", op);
    return text;
  }
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  Value* pop() {
    if (stack_.size() <= floor()) fail(op_at_, "opcode " + op_name() + " finds no object to take");
    Value* v = stack_.back();
    stack_.pop_back();
    return v;
  }
  Value* top() {
    if (stack_.size() <= floor()) fail(op_at_, "opcode " + op_name() + " finds no object to take");
    return stack_.back();
  }
  // The objects above the last MARK, which is removed.
  std::vector<Value*> pop_mark() {
    if (marks_.empty()) fail(op_at_, "opcode " + op_name() + " without a MARK before it");
    std::vector<Value*> items(stack_.begin() + static_cast<std::ptrdiff_t>(marks_.back()), stack_.end());
    stack_.resize(marks_.back());
    marks_.pop_back();
    return items;
  }
  Value* expect(Value* v, Kind kind, const char* role) {
    if (v->kind != kind)
      fail(op_at_, std::string(role) + " is a " + kind_name(v->kind) + ", expected a " + kind_name(kind));
    return v;
  }
  Value* tuple(std::vector<Value*> items) {
    Value* t = make(Kind::tuple);
    t->items = std::move(items);
    return t;
  }
  void global();
  Value* reduce(Value* callable, Value* args);
  void build(Value* object, Value* state);

  const std::uint8_t* data_;
  std::size_t size_;
  const std::string& path_;
  std::size_t pos_ = 0, op_at_ = 0;
  std::deque<Value> values_;  // the arena: deque keeps addresses stable
  std::vector<Value*> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint32_t, Value*> memo_;
};

bool is_string(const Value* v) { return v->kind == Kind::bytes || v->kind == Kind::text; }
bool is_string(const Value* v, const char* s) { return is_string(v) && v->str == s; }
bool is_int(const Value* v, std::int64_t n) {
  return (v->kind == Kind::integer || v->kind == Kind::boolean) && v->number == n;
}

void Machine::global() {
  auto line = [&] {
    std::string s;
    while (true) {
      const char c = static_cast<char>(*take(1));
      if (c == '\n') return s;
      if (s.size() >= 64) fail(op_at_, "GLOBAL with a name longer than 64 bytes");
      s += c;
    }
  };
  const std::string module = line();
  const std::string name = line();
  Value* g = make(Kind::global);
  g->str = module + "." + name;
  if ((module == "numpy.core.multiarray" || module == "numpy._core.multiarray") && name == "_reconstruct")
    g->callable = Callable::reconstruct;
  else if (module == "numpy" && name == "ndarray") g->callable = Callable::ndarray;
  else if (module == "numpy" && name == "dtype") g->callable = Callable::dtype;
  else if (module == "_codecs" && name == "encode") g->callable = Callable::encode;
  else
    fail(op_at_, "GLOBAL '" + g->str + "' is none of numpy's _reconstruct, ndarray, dtype and _codecs.encode");
  stack_.push_back(g);
}

// Python 3 pickles bytes at protocol 2 as _codecs.encode(s, 'latin1'), s
// holding one code point per byte; it arrives here as UTF-8.
std::string latin1_of_utf8(const std::string& s, bool& ok) {
  std::string out;
  ok = true;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) & 0xc0) == 0x80) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3f));
      ++i;
    } else {
      ok = false;
      return out;
    }
  }
  return out;
}

Value* Machine::reduce(Value* callable, Value* args) {
  expect(callable, Kind::global, "REDUCE's callable");
  expect(args, Kind::tuple, "REDUCE's arguments");
  const std::vector<Value*>& a = args->items;
  switch (callable->callable) {
    case Callable::reconstruct:
      if (a.size() != 3 || a[0]->kind != Kind::global || a[0]->callable != Callable::ndarray ||
          a[1]->kind != Kind::tuple || a[1]->items.size() != 1 || !is_int(a[1]->items[0], 0) ||
          !is_string(a[2], "b"))
        fail(op_at_, "_reconstruct's arguments are not (numpy.ndarray, (0,), 'b')");
      return make(Kind::array);
    case Callable::dtype:
      if (a.size() != 3 || !is_string(a[0], "u1") || !is_int(a[1], 0) || !is_int(a[2], 1))
        fail(op_at_, "dtype's arguments are not ('u1', 0, 1): the pixels must be uint8");
      return make(Kind::dtype);
    case Callable::encode: {
      if (a.size() != 2 || a[0]->kind != Kind::text || !is_string(a[1], "latin1"))
        fail(op_at_, "_codecs.encode's arguments are not (str, 'latin1')");
      bool ok = false;
      Value* b = make(Kind::bytes);
      b->str = latin1_of_utf8(a[0]->str, ok);
      if (!ok) fail(a[0]->at, "a str to encode as latin1 holds a character above U+00FF or bad UTF-8");
      return b;
    }
    case Callable::ndarray: break;
  }
  fail(op_at_, "REDUCE calls numpy.ndarray itself");
}

void Machine::build(Value* object, Value* state) {
  expect(state, Kind::tuple, "BUILD's state");
  const std::vector<Value*>& s = state->items;
  if (object->built) fail(op_at_, std::string("BUILD on a ") + kind_name(object->kind) + " already built");
  if (object->kind == Kind::dtype) {
    if (s.size() != 8 || !is_int(s[0], 3) || !is_string(s[1], "|") || s[2]->kind != Kind::none ||
        s[3]->kind != Kind::none || s[4]->kind != Kind::none || !is_int(s[5], -1) ||
        !is_int(s[6], -1) || !is_int(s[7], 0))
      fail(op_at_, "the dtype's state is not (3, '|', None, None, None, -1, -1, 0)");
  } else if (object->kind == Kind::array) {
    if (s.size() != 5 || !is_int(s[0], 1) || s[1]->kind != Kind::tuple || s[2]->kind != Kind::dtype ||
        !s[2]->built || !is_int(s[3], 0) || s[4]->kind != Kind::bytes)
      fail(op_at_, "the array's state is not (1, shape, uint8 dtype, False, bytes)");
    std::uint64_t elements = 1;
    for (const Value* d : s[1]->items) {
      if (d->kind != Kind::integer || d->number < 0 || static_cast<std::uint64_t>(d->number) > size_)
        fail(op_at_, "the array's shape holds something other than a size");
      elements *= static_cast<std::uint64_t>(d->number);
      if (elements > size_) break;
      object->shape.push_back(d->number);
    }
    if (elements != s[4]->str.size())
      fail(op_at_, "the array's shape does not match its " + std::to_string(s[4]->str.size()) + " bytes");
    object->items = {s[4]};
  } else {
    fail(op_at_, std::string("BUILD on a ") + kind_name(object->kind));
  }
  object->built = true;
}

Value* Machine::run(std::size_t& stop_at) {
  while (pos_ < size_) {
    op_at_ = pos_;
    const std::uint8_t op = *take(1);
    if (op_at_ == 0 && op != 0x80) fail(0, "not a pickle of protocol 2 (it starts with " + op_name() + ")");
    switch (op) {
      case 0x80: {  // PROTO
        if (op_at_ != 0) fail(op_at_, "PROTO after the start");
        const unsigned proto = *take(1);
        if (proto != 2) fail(op_at_, "pickle protocol " + std::to_string(proto) + ", expected 2");
        break;
      }
      case '}': stack_.push_back(make(Kind::dict)); break;
      case ']': stack_.push_back(make(Kind::list)); break;
      case ')': stack_.push_back(make(Kind::tuple)); break;
      case '(': marks_.push_back(stack_.size()); break;
      case 't': stack_.push_back(tuple(pop_mark())); break;
      case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
        std::vector<Value*> items(static_cast<std::size_t>(op - 0x84));
        for (std::size_t i = items.size(); i-- > 0;) items[i] = pop();
        stack_.push_back(tuple(std::move(items)));
        break;
      }
      case 'a': {
        Value* v = pop();
        expect(top(), Kind::list, "APPEND's target")->items.push_back(v);
        break;
      }
      case 'e': {
        std::vector<Value*> items = pop_mark();
        Value* list = expect(top(), Kind::list, "APPENDS' target");
        list->items.insert(list->items.end(), items.begin(), items.end());
        break;
      }
      case 's': {
        Value* v = pop();
        Value* k = pop();
        Value* dict = expect(top(), Kind::dict, "SETITEM's target");
        dict->items.push_back(k);
        dict->items.push_back(v);
        break;
      }
      case 'u': {
        std::vector<Value*> items = pop_mark();
        if (items.size() % 2 != 0) fail(op_at_, "SETITEMS with a key and no value");
        Value* dict = expect(top(), Kind::dict, "SETITEMS' target");
        dict->items.insert(dict->items.end(), items.begin(), items.end());
        break;
      }
      case 'q': case 'r': {  // BINPUT, LONG_BINPUT
        const std::uint32_t index = le(op == 'q' ? 1 : 4);
        memo_[index] = top();
        break;
      }
      case 'h': case 'j': {  // BINGET, LONG_BINGET
        const std::uint32_t index = le(op == 'h' ? 1 : 4);
        const auto it = memo_.find(index);
        if (it == memo_.end()) fail(op_at_, "memo entry " + std::to_string(index) + " was never stored");
        stack_.push_back(it->second);
        break;
      }
      case 'K': case 'M': case 'J': {  // BININT1, BININT2, BININT
        Value* v = make(Kind::integer);
        const std::uint32_t raw = le(op == 'K' ? 1 : op == 'M' ? 2 : 4);
        v->number = op == 'J' ? static_cast<std::int64_t>(static_cast<std::int32_t>(raw)) : raw;
        stack_.push_back(v);
        break;
      }
      case 'N': stack_.push_back(make(Kind::none)); break;
      case 0x88: case 0x89: {  // NEWTRUE, NEWFALSE
        Value* v = make(Kind::boolean);
        v->number = op == 0x88;
        stack_.push_back(v);
        break;
      }
      case 'U': case 'T': case 'X': {  // SHORT_BINSTRING, BINSTRING, BINUNICODE
        const std::uint32_t n = le(op == 'U' ? 1 : 4);
        if (op == 'T' && n > 0x7fffffffu) fail(op_at_, "BINSTRING of negative length");
        Value* v = make(op == 'X' ? Kind::text : Kind::bytes);
        const std::uint8_t* p = take(n);
        v->str.assign(reinterpret_cast<const char*>(p), n);
        stack_.push_back(v);
        break;
      }
      case 'c': global(); break;
      case 'R': {
        Value* args = pop();
        Value* callable = pop();
        stack_.push_back(reduce(callable, args));
        break;
      }
      case 'b': {
        Value* state = pop();
        build(top(), state);
        break;
      }
      case '.':
        if (!marks_.empty() || stack_.size() != 1)
          fail(op_at_, "STOP leaves " + std::to_string(stack_.size()) + " objects and " +
                           std::to_string(marks_.size()) + " marks, expected one object");
        if (pos_ != size_) fail(pos_, std::to_string(size_ - pos_) + " bytes after the pickle's STOP");
        stop_at = op_at_;
        return stack_.back();
      default:
        fail(op_at_, "opcode " + op_name() + " is not one CIFAR-10's pickles use");
    }
  }
  fail(size_, "truncated: the pickle ends without its STOP opcode");
}

}  // namespace

ImageBatch parse_cifar_pickle(const std::uint8_t* data, std::size_t size, const std::string& path) {
  Machine machine(data, size, path);
  std::size_t stop_at = 0;
  const Value* root = machine.run(stop_at);
  if (root->kind != Kind::dict)
    machine.fail(root->at, std::string("the pickle holds a ") + kind_name(root->kind) + ", expected a dict");
  const Value* entries[4] = {};  // data, labels, batch_label, filenames
  const char* names[4] = {"data", "labels", "batch_label", "filenames"};
  for (std::size_t i = 0; i < root->items.size(); i += 2) {
    const Value* key = root->items[i];
    int which = -1;
    for (int k = 0; k < 4; ++k)
      if (is_string(key, names[k])) which = k;
    if (which < 0)
      machine.fail(key->at, std::string("the dict has a key ") +
                                (is_string(key) ? "'" + key->str + "'" : std::string("of type ") + kind_name(key->kind)) +
                                " (CIFAR-10's are data, labels, batch_label, filenames)");
    if (entries[which] != nullptr) machine.fail(key->at, std::string("the key '") + names[which] + "' twice");
    entries[which] = root->items[i + 1];
  }
  for (int k = 0; k < 2; ++k)
    if (entries[k] == nullptr) machine.fail(stop_at, std::string("the dict has no '") + names[k] + "'");
  const Value* pixels = entries[0];
  if (pixels->kind != Kind::array || !pixels->built || pixels->shape.size() != 2 ||
      pixels->shape[1] != static_cast<std::int64_t>(kCifarImageBytes))
    machine.fail(pixels->at, "'data' is not a uint8 array of shape (N, 3072)");
  const std::size_t count = static_cast<std::size_t>(pixels->shape[0]);
  const Value* labels = entries[1];
  if (labels->kind != Kind::list || labels->items.size() != count)
    machine.fail(labels->at, "'labels' is not a list of " + std::to_string(count) + " ints, one per row of 'data'");
  const Value* filenames = entries[3];
  if (filenames != nullptr && (filenames->kind != Kind::list || filenames->items.size() != count))
    machine.fail(filenames->at, "'filenames' is not a list of " + std::to_string(count) + " names");
  if (filenames != nullptr)
    for (const Value* f : filenames->items)
      if (!is_string(f)) machine.fail(f->at, "a file name is not a string");
  if (entries[2] != nullptr && !is_string(entries[2])) machine.fail(entries[2]->at, "'batch_label' is not a string");

  ImageBatch batch;
  batch.count = count;
  batch.channels = 3;
  batch.height = batch.width = kCifarSide;
  for (const Value* l : labels->items) {
    if (l->kind != Kind::integer || l->number < 0 || l->number >= kImageClassNum)
      machine.fail(l->at, "label " + (l->kind == Kind::integer ? std::to_string(l->number) : std::string("of type ") + kind_name(l->kind)) +
                              " outside 0.." + std::to_string(kImageClassNum - 1));
    batch.labels.push_back(static_cast<std::uint8_t>(l->number));
  }
  const std::string& bytes = pixels->items[0]->str;
  batch.pixels.assign(bytes.begin(), bytes.end());
  return batch;
}

}  // namespace plifkit
