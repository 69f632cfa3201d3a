export { clamp } from "./clamp.js";
export { debounce } from "./debounce.js";
