'use strict';

const { ListenerList } = require('./listener-list');

/** A small event emitter: on, once, off, emit, listenerCount. */
class Emitter {
  constructor() {
    this.events = new Map();
  }

  list(event) {
    let list = this.events.get(event);
    if (!list) {
      list = new ListenerList();
      this.events.set(event, list);
    }
    return list;
  }

  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.list(event).add(listener);
    return () => this.off(event, listener);
  }

  once(event, listener) {
    const wrapper = (...args) => {
      this.off(event, wrapper);
      listener.apply(this, args);
    };
    return this.on(event, wrapper);
  }

  off(event, listener) {
    const list = this.events.get(event);
    if (list) list.remove(listener);
    return this;
  }

  emit(event, ...args) {
    const list = this.events.get(event);
    if (!list || list.size === 0) return false;
    list.forEach((listener) => listener.apply(this, args));
    return true;
  }

  listenerCount(event) {
    return this.events.get(event)?.size ?? 0;
  }
}

module.exports = { Emitter };
