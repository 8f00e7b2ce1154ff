// Parallel map with in-order consumption: produce(i, worker) runs on `jobs`
// threads, consume(i, result) on the calling thread in index order 0, 1, ...
// so whatever consume writes comes out the same for any number of jobs. At
// most `window` results wait ahead of the one being consumed, which bounds
// memory. An exception from produce(i) is rethrown when i's turn comes (so
// the reported error does not depend on timing either); one from consume
// stops the workers. Either way all threads are joined before it propagates.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace plifkit {

template <typename Result, typename Produce, typename Consume>
void run_ordered(std::size_t count, int jobs, std::size_t window, Produce&& produce,
                 Consume&& consume) {
  struct Slot {
    std::optional<Result> result;
    std::exception_ptr error;
    bool done = false;
  };
  std::vector<Slot> slots(count);
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next = 0;      // first index no worker has taken
  std::size_t consumed = 0;  // first index not yet handed to consume
  bool stop = false;
  if (window == 0) window = 1;

  auto work = [&](int worker) {
    while (true) {
      std::size_t i;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return stop || next >= count || next < consumed + window; });
        if (stop || next >= count) return;
        i = next++;
      }
      std::optional<Result> result;
      std::exception_ptr error;
      try {
        result.emplace(produce(i, worker));
      } catch (...) {
        error = std::current_exception();
      }
      {
        std::lock_guard<std::mutex> lock(mutex);
        slots[i].result = std::move(result);
        slots[i].error = error;
        slots[i].done = true;
      }
      changed.notify_all();
    }
  };

  const int threads = static_cast<int>(std::min<std::size_t>(count, jobs < 1 ? 1 : jobs));
  std::vector<std::thread> pool;
  auto finish = [&] {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stop = true;
    }
    changed.notify_all();
    for (auto& t : pool) t.join();
  };
  try {
    for (int w = 0; w < threads; ++w) pool.emplace_back(work, w);
    for (std::size_t i = 0; i < count; ++i) {
      std::optional<Result> result;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return slots[i].done; });
        if (slots[i].error) std::rethrow_exception(slots[i].error);
        result = std::move(slots[i].result);
        slots[i].result.reset();
        consumed = i + 1;
      }
      changed.notify_all();
      consume(i, std::move(*result));
    }
  } catch (...) {
    finish();
    throw;
  }
  finish();
}

}  // namespace plifkit
