/** The body area a screen may fill (the title and status bars are outside it). */
export interface ScreenProps {
  width: number;
  height: number;
}
