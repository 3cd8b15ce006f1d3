package io.kubeobserve.adapter.store;

import java.util.Arrays;

/**
 * Series by the 128-bit hash of their encoding: open addressing with linear probing, the two hash
 * words stored side by side in one array, so a lookup touches one array slot and the series.
 * Removal shifts following entries back, so no tombstones accumulate.
 */
final class SeriesIndex {

  private long[] keys;
  private Series[] values;
  private int mask;
  private int size;

  SeriesIndex() {
    values = new Series[1024];
    keys = new long[2048];
    mask = values.length - 1;
  }

  int size() {
    return size;
  }

  Series get(long hi, long lo) {
    int i = slot(lo);
    while (true) {
      Series value = values[i];
      if (value == null) {
        return null;
      }
      if (keys[2 * i + 1] == lo && keys[2 * i] == hi) {
        return value;
      }
      i = (i + 1) & mask;
    }
  }

  void put(long hi, long lo, Series series) {
    if (2 * (size + 1) > values.length) {
      grow();
    }
    int i = slot(lo);
    while (values[i] != null) {
      if (keys[2 * i + 1] == lo && keys[2 * i] == hi) {
        values[i] = series;
        return;
      }
      i = (i + 1) & mask;
    }
    keys[2 * i] = hi;
    keys[2 * i + 1] = lo;
    values[i] = series;
    size++;
  }

  void remove(long hi, long lo) {
    int i = slot(lo);
    while (true) {
      if (values[i] == null) {
        return;
      }
      if (keys[2 * i + 1] == lo && keys[2 * i] == hi) {
        break;
      }
      i = (i + 1) & mask;
    }
    values[i] = null;
    size--;
    // shift back the entries of the probe run that follows, where their home slot allows
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (values[j] == null) {
        return;
      }
      int home = slot(keys[2 * j + 1]);
      boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
      if (movable) {
        keys[2 * hole] = keys[2 * j];
        keys[2 * hole + 1] = keys[2 * j + 1];
        values[hole] = values[j];
        values[j] = null;
        hole = j;
      }
    }
  }

  void clear() {
    Arrays.fill(values, null);
    size = 0;
  }

  private int slot(long lo) {
    return (int) (lo ^ (lo >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    Series[] oldValues = values;
    values = new Series[oldValues.length * 2];
    keys = new long[oldKeys.length * 2];
    mask = values.length - 1;
    size = 0;
    for (int i = 0; i < oldValues.length; i++) {
      if (oldValues[i] != null) {
        put(oldKeys[2 * i], oldKeys[2 * i + 1], oldValues[i]);
      }
    }
  }
}
