// Where Cesium.js finds its workers, widgets and assets (served by `hyperdef view` at /cesium/).
window.CESIUM_BASE_URL = '/cesium/';
