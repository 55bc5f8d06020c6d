package transcript

// DecodeText applies the transcript decoding rules (BOM, UTF-8, UTF-16,
// Windows-1252, line endings) to any other text file a researcher brings,
// such as a participants CSV saved by Excel.
func DecodeText(name string, data []byte) (text, encoding string, err error) {
	return decode(name, data)
}
