// A strict reader of CIFAR-10's Python batches (data_batch_1 .. 5,
// test_batch), which are pickles and nothing in C++ reads: a small pickle
// machine that runs exactly the opcodes these files use and builds exactly
// the objects they hold, refusing anything else.
//
// The structure (Python 2's cPickle, protocol 2, as distributed):
//   {'batch_label': str, 'labels': [int, ...] (N, each 0..9),
//    'data': numpy.ndarray uint8 (N, 3072), 'filenames': [str, ...] (N)}
// where the array is numpy.core.multiarray._reconstruct(numpy.ndarray, (0,),
// 'b') followed by BUILD with (1, shape, numpy.dtype('u1', 0, 1) built with
// (3, '|', None, None, None, -1, -1, 0), False, raw bytes). Also accepted is
// the form Python 3 writes for the same dict with bytes keys at protocol 2
// (bytes as _codecs.encode(str, 'latin1'), dtype('u1', False, True),
// numpy._core in numpy 2). batch_label and filenames may be absent.
//
// Opcodes run: PROTO (2 only, first), EMPTY_DICT, EMPTY_LIST, EMPTY_TUPLE,
// MARK, TUPLE, TUPLE1..3, APPEND(S), SETITEM(S), BINPUT, LONG_BINPUT,
// BINGET, LONG_BINGET, BININT, BININT1, BININT2, NONE, NEWTRUE, NEWFALSE,
// SHORT_BINSTRING, BINSTRING, BINUNICODE, GLOBAL (of the four callables
// above and numpy.ndarray only), REDUCE, BUILD, STOP (the last byte).
// Objects are held in an arena, never owned by each other, so no input can
// make the reader recurse or leak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/images/image_batch.hpp"

namespace plifkit {

// Parses one batch: the pixels [N, 3, 32, 32] ('data' rows as they are) and
// labels. Throws FormatError "cannot decode 'path' at byte N: ..." naming
// the opcode or object at fault.
ImageBatch parse_cifar_pickle(const std::uint8_t* data, std::size_t size, const std::string& path);

}  // namespace plifkit
