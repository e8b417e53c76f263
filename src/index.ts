// Library entry: encode() and render() over the GS1 payload shape used by the HTTP API.
export {};
