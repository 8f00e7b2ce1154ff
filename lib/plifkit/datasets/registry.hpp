// The dataset registry: one row per dataset (dataset_row.hpp), each filled
// by its own file in this folder (dvs128_gesture.cpp, nmnist.cpp, ...).
#pragma once

#include <vector>

#include "plifkit/datasets/dataset_row.hpp"

namespace plifkit {

// The row of a dataset.
const DatasetRow& row_of(Dataset dataset);

// Every row, in the order of the Dataset enum.
const std::vector<DatasetRow>& all_datasets();

// "DVS128Gesture, NMNIST, ..." : the names of the datasets of one kind, for messages.
std::string dataset_names(InputKind kind);
// The same for the datasets stored one way.
std::string dataset_names(Storage storage);

// The rows' own constructors, one per file.
DatasetRow dvs128_gesture_row();
DatasetRow nmnist_row();
DatasetRow cifar10dvs_row();
DatasetRow asldvs_row();
DatasetRow mnist_row();
DatasetRow fashion_mnist_row();
DatasetRow cifar10_row();

}  // namespace plifkit
