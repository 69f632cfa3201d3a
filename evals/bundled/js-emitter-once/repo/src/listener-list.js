'use strict';

/** An ordered list of listeners. */
class ListenerList {
  constructor() {
    this.items = [];
  }

  get size() {
    return this.items.length;
  }

  add(listener) {
    this.items.push(listener);
  }

  /** Removes the first registration of `listener`. */
  remove(listener) {
    const index = this.items.indexOf(listener);
    if (index !== -1) this.items.splice(index, 1);
  }

  forEach(callback) {
    for (let i = 0; i < this.items.length; i++) callback(this.items[i]);
  }
}

module.exports = { ListenerList };
