"""MNIST from the bundled files, integrity errors on damaged copies, FashionMNIST on hand-made IDX files."""

import gzip
import hashlib
import shutil
import struct
import time

import numpy as np
import pytest

import autograd
from data import MNIST, ChecksumError, CorruptFileError, DataLoader, FashionMNIST, TensorDataset
from data import transforms as T
from data.mnist import BUNDLED_MNIST

# Published per-digit counts of the MNIST training and test sets.
TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
TEST_FILES = ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


@pytest.fixture(scope="module")
def train():
    return MNIST()


@pytest.fixture(scope="module")
def test():
    return MNIST(train=False)


def test_training_split_shapes_dtypes_and_labels(train):
    assert len(train) == 60_000
    assert train.data.shape == (60_000, 28, 28) and train.data.dtype == np.uint8
    assert train.targets.shape == (60_000,) and train.targets.dtype == np.int64
    assert train.targets.numpy()[:8].tolist() == [5, 0, 4, 1, 9, 2, 1, 3]
    assert np.bincount(train.targets.numpy()).tolist() == TRAIN_COUNTS
    assert sum(TRAIN_COUNTS) == 60_000
    assert train.data.numpy().min() == 0 and train.data.numpy().max() == 255


def test_test_split(test):
    assert len(test) == 10_000 and test.data.shape == (10_000, 28, 28)
    assert test.targets.numpy()[:5].tolist() == [7, 2, 1, 0, 4]
    assert np.bincount(test.targets.numpy(), minlength=10).tolist() == TEST_COUNTS


def test_sample_is_a_fresh_uint8_image_and_an_int(train):
    image, label = train[0]
    assert isinstance(image, np.ndarray) and image.shape == (28, 28) and image.dtype == np.uint8
    assert label == 5 and isinstance(label, int)
    image[:] = 0
    assert train.data.numpy()[0].any()


def test_transforms_are_applied():
    dataset = MNIST(train=False, transform=T.ToTensor(), target_transform=lambda y: y * 10)
    image, label = dataset[0]
    assert image.shape == (1, 28, 28) and image.dtype == np.float32
    assert 0.0 <= image.numpy().min() and image.numpy().max() <= 1.0
    assert label == 70


def test_repeated_construction_reuses_the_decoded_arrays(train):
    again = MNIST()
    assert np.shares_memory(again.data.numpy(), train.data.numpy())


def test_loader_batches_mnist_without_transforms(test):
    images, labels = next(iter(DataLoader(test, batch_size=64)))
    assert images.shape == (64, 28, 28) and images.dtype == np.uint8
    assert labels.dtype == np.int64 and labels.numpy()[:5].tolist() == [7, 2, 1, 0, 4]


def test_an_epoch_over_a_tensor_dataset_costs_milliseconds(train):
    loader = DataLoader(TensorDataset(train.data, train.targets), batch_size=64, shuffle=True,
                        generator=autograd.Generator().manual_seed(0))
    timings = []
    for _ in range(2):  # the faster of two epochs, to be robust to a busy machine
        start = time.perf_counter()
        seen = sum(images.shape[0] for images, _ in loader)
        timings.append(time.perf_counter() - start)
        assert seen == 60_000
    assert len(loader) == 938
    assert min(timings) < 0.5, f"one epoch of loader overhead took {min(timings):.3f} s"  # per-sample: seconds


def copy_test_split(folder):
    for name in (*TEST_FILES, "SHA256SUMS"):
        shutil.copy(BUNDLED_MNIST / name, folder / name)


def write_checksums(folder, names):
    lines = [f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}" for n in names]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def test_a_copy_in_another_folder_loads(tmp_path):
    copy_test_split(tmp_path)
    assert MNIST(tmp_path, train=False).targets.numpy()[:3].tolist() == [7, 2, 1]


def test_corrupted_file_fails_the_checksum_naming_file_and_digests(tmp_path):
    copy_test_split(tmp_path)
    path = tmp_path / TEST_FILES[0]
    raw = bytearray(path.read_bytes())
    raw[1000] ^= 0xFF
    path.write_bytes(bytes(raw))
    expected = next(line.split()[0] for line in (tmp_path / "SHA256SUMS").read_text().splitlines()
                    if line.endswith(TEST_FILES[0]))
    actual = hashlib.sha256(bytes(raw)).hexdigest()
    with pytest.raises(ChecksumError) as error:
        MNIST(tmp_path, train=False)
    message = str(error.value)
    assert TEST_FILES[0] in message and expected in message and actual in message


def test_missing_data_file(tmp_path):
    copy_test_split(tmp_path)
    (tmp_path / TEST_FILES[1]).unlink()
    with pytest.raises(FileNotFoundError, match=TEST_FILES[1]):
        MNIST(tmp_path, train=False)


def test_missing_checksum_file(tmp_path):
    copy_test_split(tmp_path)
    (tmp_path / "SHA256SUMS").unlink()
    with pytest.raises(FileNotFoundError, match="SHA256SUMS"):
        MNIST(tmp_path, train=False)


def test_file_without_a_recorded_digest(tmp_path):
    copy_test_split(tmp_path)
    write_checksums(tmp_path, TEST_FILES[:1])
    with pytest.raises(ChecksumError, match=f"no SHA-256 digest recorded for '{TEST_FILES[1]}'"):
        MNIST(tmp_path, train=False)


def test_truncated_idx_payload_is_reported_even_with_a_matching_checksum(tmp_path):
    copy_test_split(tmp_path)
    labels = tmp_path / TEST_FILES[1]
    labels.write_bytes(gzip.compress(gzip.decompress(labels.read_bytes())[:5000]))
    write_checksums(tmp_path, TEST_FILES)
    with pytest.raises(CorruptFileError, match=f"{TEST_FILES[1]}: truncated"):
        MNIST(tmp_path, train=False)


def test_truncated_gzip_stream_is_reported(tmp_path):
    copy_test_split(tmp_path)
    images = tmp_path / TEST_FILES[0]
    images.write_bytes(images.read_bytes()[:100_000])
    write_checksums(tmp_path, TEST_FILES)
    with pytest.raises(CorruptFileError, match=f"{TEST_FILES[0]}: not a valid gzip file"):
        MNIST(tmp_path, train=False)


def test_download_is_refused():
    with pytest.raises(ValueError, match="never downloads"):
        MNIST(download=True)


def idx_bytes(type_code, array):
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.tobytes()


def test_fashion_mnist_reads_hand_made_files_in_torchvision_layout(tmp_path):
    raw = tmp_path / "FashionMNIST" / "raw"
    raw.mkdir(parents=True)
    images = np.arange(3 * 28 * 28, dtype=np.uint8).reshape(3, 28, 28)
    (raw / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(0x08, images)))
    (raw / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(0x08, np.array([9, 0, 3], np.uint8))))
    write_checksums(raw, ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"])
    dataset = FashionMNIST(tmp_path)
    assert len(dataset) == 3
    np.testing.assert_array_equal(dataset.data.numpy(), images)
    assert dataset.targets.numpy().tolist() == [9, 0, 3]
    assert dataset.classes[dataset[0][1]] == "Ankle boot"
    assert dataset.class_to_idx["Trouser"] == 1


def test_fashion_mnist_needs_root_and_its_files(tmp_path):
    with pytest.raises(TypeError):
        FashionMNIST()
    with pytest.raises(FileNotFoundError, match="train-images-idx3-ubyte.gz"):
        FashionMNIST(tmp_path)


def test_images_and_labels_must_agree(tmp_path):
    images = np.zeros((3, 28, 28), dtype=np.uint8)
    (tmp_path / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(0x08, images)))
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(0x08, np.zeros(2, np.uint8))))
    write_checksums(tmp_path, TEST_FILES)
    with pytest.raises(CorruptFileError, match="expected 3 uint8 labels"):
        FashionMNIST(tmp_path, train=False)


def test_parse_idx_handles_big_endian_types_and_rejects_bad_headers():
    from data.idx import parse_idx

    values = parse_idx(idx_bytes(0x0B, np.array([[1, -2], [300, 4]], dtype=">i2")))
    assert values.dtype == np.int16 and values.tolist() == [[1, -2], [300, 4]]
    floats = parse_idx(idx_bytes(0x0D, np.array([0.5, -1.25], dtype=">f4")))
    assert floats.dtype == np.float32 and floats.tolist() == [0.5, -1.25]
    with pytest.raises(CorruptFileError, match="not an IDX file"):
        parse_idx(b"\x01\x00\x08\x01")
    with pytest.raises(CorruptFileError, match="unknown IDX type code 0x07"):
        parse_idx(b"\x00\x00\x07\x01\x00\x00\x00\x01\x00")
    with pytest.raises(CorruptFileError, match="truncated IDX header"):
        parse_idx(b"\x00\x00\x08\x03\x00\x00")
