export { DEFAULT_DEDUPER_CAPACITY, ExposureDeduper } from './exposure-deduper';
export { isUuidV7, uuidv7, uuidv7Time } from './uuidv7';
