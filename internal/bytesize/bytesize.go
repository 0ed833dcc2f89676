// Package bytesize writes sizes in bytes as people read them.
package bytesize

import "fmt"

// Human writes n bytes as a person reads a size: 512 B, 3.2 MiB.
func Human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
